"""A realistic synthetic corpus in the repo's own format, deterministic from a seed.

    python benchmarks/generate.py OUT_DIR --reports 1000 [--seed 1] [--problems 0.05]

Agencies are spread over provinces, cities and counties (county governments, departments, towns
and streets); each reports over consecutive years in the edition of the year. Every statutory
identity holds, carry-overs chain from year to year, and a controlled share of reports carries
real-style problems (blank cells, a placeholder, a broken total), acknowledged as an editor
would. Narratives are about 16 KB of varied Chinese text. Never shipped as site content: it is
written only where the caller says.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "hooks"))

from nianbao.editing import dump  # noqa: E402
from nianbao.core import editions  # noqa: E402

PROVINCES = ["福建省", "江苏省", "浙江省", "广东省", "四川省", "湖南省", "山东省", "河南省", "湖北省", "安徽省"]
SYLLABLES = list("安宁平和兴华永清长新东西南北江河山海云龙福泰顺德昌明阳光源溪桥林石梅松竹湖")
DEPARTMENTS = ["教育局", "民政局", "财政局", "人力资源和社会保障局", "自然资源局", "生态环境局", "住房和城乡建设局",
               "交通运输局", "农业农村局", "卫生健康委员会", "市场监督管理局", "应急管理局", "司法局", "审计局"]
YEARS = [2019, 2020, 2021, 2022, 2023]
SOURCE_TEXT = HERE.parent / "reports" / "luoyuan-songshan" / "2019.md"
TEMPLATES = [
    "{year}年，{name}主动公开政府信息{n}条，其中政策文件{m}件，政策解读{k}篇。",
    "全年共收到政府信息公开申请{received}件，均在法定期限内予以答复，答复率100%。",  # as its table says
    "{name}围绕{topic}等重点领域，及时公开相关政策措施和执行情况。",
    "通过政府门户网站、政务新媒体、公开栏等渠道发布信息{n}条，召开新闻发布会{k}场。",
    "组织开展政务公开业务培训{k}次，参训人员{n}人次，进一步提升工作人员业务能力。",
    "严格落实保密审查制度，全年审查拟公开信息{n}条，未发生泄密事件。",
    "针对群众关切的{topic}问题，做好政策解读和舆情回应，回应社会关切{k}次。",
    "依申请公开工作中，坚持依法依规、公正便民原则，规范受理、办理、答复各环节。",
]
TOPICS = ["乡村振兴", "营商环境", "生态环境保护", "教育医疗", "社会保障", "安全生产", "食品药品监管", "城乡建设",
          "财政预决算", "重大建设项目", "行政执法", "疫情防控", "就业创业", "养老服务"]


def sentences() -> list[str]:
    text = SOURCE_TEXT.read_text(encoding="utf-8")
    found = [s.strip() + "。" for s in re.split(r"[。\n]", text) if len(s.strip()) > 12 and not s.startswith("#")]
    return found


class Generator:
    def __init__(self, seed: int, problem_share: float):
        self.rng = random.Random(seed)
        self.problem_share = problem_share
        self.pool = sentences()

    def place(self, k: int) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(k))

    def agencies(self, count: int) -> list[dict]:
        """Provinces > cities > counties; each county has its government, departments and towns."""
        found = []
        while len(found) < count:
            p = len(found) // 200 % len(PROVINCES)
            city = self.place(2) + "市"
            county = self.place(2) + self.rng.choice(["县", "区"])
            region = f"{PROVINCES[p]}/{city}/{county}"
            prefix = f"p{p:02d}-c{len(found) // 40:03d}-x{len(found) // 8:04d}"
            found.append({"slug": f"{prefix}-gov", "name": f"{county}人民政府", "kind": "人民政府", "region": region})
            for i, dept in enumerate(self.rng.sample(DEPARTMENTS, 3)):
                found.append({"slug": f"{prefix}-d{i}", "name": f"{county}{dept}", "kind": "政府部门", "region": region})
            for i in range(4):
                town = self.place(2) + self.rng.choice(["镇", "乡", "街道"])
                kind = "街道" if town.endswith("街道") else "乡镇"
                suffix = "办事处" if kind == "街道" else "人民政府"
                found.append({"slug": f"{prefix}-t{i}", "name": f"{county}{town}{suffix}", "kind": kind,
                              "region": region})
        return found[:count]

    def t3(self, edition, carried: list[int]) -> tuple[dict, list[int]]:
        table = edition.tables["t3"]
        results = [r.id for r in table.rows if r.result]
        applicants = 6
        rows = {r.id: [0] * 7 for r in table.rows}
        forward = []
        for c in range(applicants):
            new = self.rng.choice([0, 0, 1, 2, 3, 5, 8, 13, 40]) if c in (0, 1) else self.rng.choice([0, 0, 0, 1, 2])
            rows["new_received"][c] = new
            rows["carried_over"][c] = carried[c]
            pending = self.rng.randint(0, min(2, new))
            forward.append(pending)
            handled = new + carried[c] - pending
            for _ in range(handled):
                rows[self.rng.choice(results[:2] * 4 + results)][c] += 1
            rows["total"][c] = handled
            rows["carried_forward"][c] = pending
        for row in rows.values():
            row[6] = sum(row[:6])
        return rows, forward

    def t4(self) -> list[int]:
        cells = []
        for _ in range(3):
            parts = [self.rng.choice([0, 0, 0, 1, 2]) for _ in range(4)]
            cells += parts + [sum(parts)]
        return cells

    def t2(self, edition, stock: list[int]) -> tuple[dict, list[int]]:
        r = self.rng.randint
        if edition.id == "gov-2019":
            return ({"regulations": [0, 0, 0], "normative_documents": [r(0, 5), r(0, 5), r(10, 60)],
                     "licensing": [r(0, 200), r(-5, 5), r(0, 900)], "other_services": [r(0, 50), 0, r(0, 400)],
                     "penalty": [r(0, 20), 0, r(0, 300)], "coercion": [r(0, 5), 0, r(0, 20)],
                     "fees": [r(0, 5), 0], "procurement": [r(0, 10), f"{r(0, 900000)}元"]}, stock)
        issued = [r(0, 2), r(0, 8)]
        repealed = [r(0, min(1, stock[0])), r(0, min(3, stock[1]))]
        now = [stock[i] + issued[i] - repealed[i] for i in range(2)]
        return ({"regulations": [issued[0], repealed[0], now[0]], "normative_documents": [issued[1], repealed[1], now[1]],
                 "licensing": [r(0, 900)], "penalty": [r(0, 300)], "coercion": [r(0, 20)],
                 "fees": [round(self.rng.uniform(0, 500), 4)]}, now)

    def problems(self, data: dict) -> None:
        """Real-style problems, acknowledged as published so the corpus builds."""
        if self.rng.random() >= self.problem_share:
            return
        kind = self.rng.choice(["blank", "placeholder", "total"])
        if kind == "blank":
            data["t3"]["partial"][self.rng.randint(2, 5)] = None
        elif kind == "placeholder":
            data["t4"]["cases"][self.rng.randint(0, 3)] = "/"
        else:
            data["t3"]["total"][6] += 1
            data["acknowledged"] = [{"rule": "T3-ROW", "reason": "原文（七）总计与各列之和不符，已与原文核对"},
                                    {"rule": "T3-RES", "reason": "同上"}, {"rule": "T3-BAL", "reason": "同上"}]

    def narrative(self, agency: dict, year: int, edition, received: int) -> str:
        self.received = received
        parts = [self.paragraph(agency, year, 4)]
        for section in edition.sections:
            parts.append(f"## {section['num']}、{section['title']}")
            if section.get("table"):
                continue
            for sub in range(5 if section["num"] == "一" else 2):
                parts.append(f"### （{'一二三四五'[sub]}）{self.rng.choice(TOPICS)}")
                parts += [self.paragraph(agency, year, self.rng.randint(5, 9)) for _ in range(2)]
        if edition.id == "gov-2021":
            parts.append(f"本年度收取信息处理费{self.rng.choice([0, 0, 0, 100, 3940])}元。")
        return "\n\n".join(parts) + "\n"

    def paragraph(self, agency: dict, year: int, count: int) -> str:
        out = []
        for _ in range(count):
            if self.rng.random() < 0.4:
                out.append(self.rng.choice(TEMPLATES).format(
                    year=year, name=agency["name"], n=self.rng.randint(1, 900), m=self.rng.randint(1, 40),
                    k=self.rng.randint(1, 12), topic=self.rng.choice(TOPICS), received=self.received))
            else:
                out.append(self.rng.choice(self.pool))
        return "".join(out)


def generate(out: Path, reports: int, seed: int = 1, problem_share: float = 0.05) -> int:
    gen = Generator(seed, problem_share)
    agencies = gen.agencies(max(1, -(-reports // len(YEARS))))
    written = 0
    for agency in agencies:
        folder = out / agency["slug"]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "agency.yml").write_text(
            f"name: {agency['name']}\nkind: {agency['kind']}\nregion: {agency['region']}\n", encoding="utf-8")
        carried, stock = [0] * 6, [gen.rng.randint(0, 3), gen.rng.randint(5, 60)]
        for year in YEARS:
            if written >= reports:
                break
            edition = editions.for_year(year)
            t3, carried = gen.t3(edition, carried)
            t2, stock = gen.t2(edition, stock)
            data = {"agency": agency["slug"], "year": year, "edition": edition.id,
                    "title": f"{agency['name']}{year}年政府信息公开工作年度报告", "published": f"{year + 1}-01-2{year % 8}",
                    "t2": t2, "t3": t3, "t4": {"cases": gen.t4()}}
            gen.problems(data)
            (folder / f"{year}.yml").write_text(dump.report_yaml(data, edition), encoding="utf-8")
            received = data["t3"]["new_received"][-1]
            (folder / f"{year}.md").write_text(gen.narrative(agency, year, edition, received), encoding="utf-8")
            written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description="生成用于基准测试的合成报告库")
    parser.add_argument("out", type=Path)
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--problems", type=float, default=0.05, help="带有原文式问题的报告比例")
    args = parser.parse_args()
    count = generate(args.out, args.reports, args.seed, args.problems)
    print(f"已生成 {count} 份报告：{args.out}")


if __name__ == "__main__":
    main()
