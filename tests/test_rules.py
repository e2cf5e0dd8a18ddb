"""Each rule, on small reports: the right code at the right line and column."""

from __future__ import annotations

from nianbao.core.check import check_path

from conftest import line_of, report_data, write_report


def problems(root, rule=None):
    found = check_path(root).problems
    return [p for p in found if rule is None or p.rule == rule]


def test_consistent_report_has_no_problems(reports):
    write_report(reports, report_data())
    assert problems(reports) == []


def test_t3_row_points_at_the_total_cell(reports):
    data = report_data()
    data["t3"]["granted"][1] = 2  # commercial 1 -> 2: the row no longer adds up to 5
    path = write_report(reports, data)
    [p] = problems(reports, "T3-ROW")
    assert (p.level, p.line) == ("error", line_of(path, "granted:"))
    line = path.read_text(encoding="utf-8").splitlines()[p.line - 1]
    assert line[p.col - 1:].startswith("5]")
    assert "总计 5 ≠ 各类申请人之和 6" in p.message


def test_t3_res_points_at_the_total_row(reports):
    data = report_data()
    data["t3"]["denied_secret"] = [1, 0, 0, 0, 0, 0, 1]  # the rows add up, the columns do not
    path = write_report(reports, data)
    found = problems(reports, "T3-RES")
    assert {p.line for p in found} == {line_of(path, "  total:")}
    assert len(found) == 2  # 自然人 and 总计 columns
    assert any("“自然人”列（七）总计 10 ≠ 各项办理结果之和 11" in p.message for p in found)


def test_t3_bal_points_at_new_received(reports):
    data = report_data()
    data["t3"]["carried_forward"] = [2, 0, 0, 0, 0, 0, 2]
    path = write_report(reports, data)
    found = problems(reports, "T3-BAL")
    assert {p.line for p in found} == {line_of(path, "new_received:")}
    assert any("新收 + 上年结转 = 11，办理结果总计 + 结转下年 = 12" in p.message for p in found)


def test_blank_is_unknown_not_zero(reports):
    data = report_data()
    data["t3"]["granted"] = [4, 1, 0, 0, None, 0, 5]
    path = write_report(reports, data)
    assert problems(reports, "T3-ROW") == []
    [blank] = problems(reports, "BLANK")
    assert blank.level == "warning" and blank.line == line_of(path, "granted:")


def test_known_terms_exceeding_total_fail_even_with_blanks(reports):
    data = report_data()
    data["t3"]["granted"] = [4, 3, None, 0, 0, 0, 5]  # 4 + 3 > 5 whatever the blank holds
    write_report(reports, data)
    [p] = problems(reports, "T3-ROW")
    assert "即使不计空白单元格也已超出" in p.message


def test_t4_sum(reports):
    data = report_data()
    data["t4"]["cases"][4] = 0  # 行政复议 total printed 0 while upheld is 1 (洪泽区 2023)
    path = write_report(reports, data)
    [p] = problems(reports, "T4-SUM")
    assert p.line == line_of(path, "cases:")
    assert p.message.startswith("行政复议总计 0")


def test_nn_negative_text_and_fullwidth(reports):
    data = report_data()
    data["t3"]["partial"] = [-1, 0, 0, 0, 0, 0, -1]
    data["t2"]["licensing"] = ["１２０"]
    data["t2"]["penalty"] = ["八件"]
    write_report(reports, data)
    messages = [p.message for p in problems(reports, "NN")]
    assert any("不能为负数" in m for m in messages)
    assert any("全角数字" in m for m in messages)
    assert any("应为数字，原文为“八件”" in m for m in messages)


def test_money_with_unit_and_negative_change_are_fine(reports):
    data = report_data(year=2019)
    data["edition"] = "gov-2019"
    data["t2"] = {"regulations": [0, 0, 0], "normative_documents": [1, 1, 5],
                  "licensing": [14, -2, 5], "other_services": [10, 0, 325], "penalty": [0, 0, 0],
                  "coercion": [0, 0, 0], "fees": [0, 0], "procurement": [3, "251000元"]}
    t3 = data["t3"]
    other = t3.pop("other_no_correction")
    t3.pop("other_no_fee"), t3.pop("other_else")
    data["t3"] = {k: v for k, v in t3.items()}
    data["t3"]["other"] = other
    write_report(reports, data)
    assert problems(reports, "NN") == []


def test_placeholder_is_a_blank_warning(reports):
    data = report_data()
    data["t2"]["coercion"] = ["/"]
    write_report(reports, data)
    [p] = problems(reports, "BLANK")
    assert "占位符“/”" in p.message


def test_edition_must_match_year(reports):
    data = report_data(year=2022)
    data["edition"] = "gov-2019"
    data["t2"] = {"regulations": [0, 0, 0], "normative_documents": [0, 0, 0], "licensing": [0, 0, 0],
                  "other_services": [0, 0, 0], "penalty": [0, 0, 0], "coercion": [0, 0, 0],
                  "fees": [0, 0], "procurement": [0, 0]}
    t3 = data["t3"]
    t3["other"] = t3.pop("other_no_correction")
    t3.pop("other_no_fee"), t3.pop("other_else")
    path = write_report(reports, data)
    [p] = problems(reports, "EDITION")
    assert (p.level, p.line) == ("error", line_of(path, "edition:"))
    assert "应使用 gov-2021" in p.message


def test_gov_2021_with_one_other_row_is_recorded_and_flagged(reports):
    data = report_data()
    t3 = data["t3"]
    t3["other"] = [0, 0, 0, 0, 0, 0, 0]
    for key in ("other_no_correction", "other_no_fee", "other_else"):
        del t3[key]
    path = write_report(reports, data)
    [p] = problems(reports)
    assert (p.rule, p.level, p.line) == ("LAYOUT", "warning", line_of(path, "  other:"))


def test_xy_carry_compares_consecutive_years(reports):
    write_report(reports, report_data(year=2022))
    data = report_data(year=2023)
    data["t3"]["carried_over"] = [2, 0, 0, 0, 0, 0, 2]
    data["t3"]["new_received"] = [9, 2, 0, 0, 1, 0, 12]
    path = write_report(reports, data)
    found = problems(reports, "XY-CARRY")
    assert found and all(p.path.endswith("2023.yml") for p in found)
    assert all(p.line == line_of(path, "carried_over:") and p.level == "warning" for p in found)
    assert any("2022 年报告的结转下年度为 1" in p.message for p in found)


def test_xy_stock(reports):
    write_report(reports, report_data(year=2022))  # normative_documents in force 12
    data = report_data(year=2023)
    data["t2"]["normative_documents"] = [3, 1, 15]  # 12 + 3 - 1 = 14, printed 15
    path = write_report(reports, data)
    [p] = problems(reports, "XY-STOCK")
    assert p.line == line_of(path, "normative_documents:")
    assert "= 14" in p.message
