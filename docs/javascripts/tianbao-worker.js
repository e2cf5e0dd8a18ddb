// The 填报 page's engine in a worker: Pyodide and the package's own Python (editing/browser.py,
// and site/preview.py for the preview, imported when first asked for), off the page's main
// thread, so the form stays usable while the engine loads (several seconds).
// Messages: {id, name, args} in; {id, value} or {id, error} out; {progress} while loading.
const ENGINE = new URL("../tianbao/engine/", import.meta.url);

async function boot() {
  const started = performance.now();
  const { loadPyodide } = await import(new URL("pyodide.mjs", ENGINE).href);
  const py = await loadPyodide({ indexURL: ENGINE.href, env: { NIANBAO_CACHE: "off", NIANBAO_JOBS: "1", HOME: "/home/pyodide" } });
  const loaded = performance.now();
  postMessage({ progress: "正在载入核验规则……" });
  const zip = await fetch(new URL("nianbao-python.zip", ENGINE));
  if (!zip.ok) throw new Error(`nianbao-python.zip: ${zip.status}`);
  py.unpackArchive(new Uint8Array(await zip.arrayBuffer()), "zip", { extractDir: "/lib/nianbao" });
  py.runPython("import sys; sys.path.insert(0, '/lib/nianbao')");
  const browser = py.pyimport("nianbao.editing.browser");
  postMessage({ timing: { pyodide: loaded - started, python: performance.now() - loaded } });
  return { py, browser };
}

const engine = boot();
engine.then(() => postMessage({ ready: true }), (err) => postMessage({ failed: String(err.message || err) }));

onmessage = async ({ data }) => {
  const { id, name, args } = data;
  let pyArgs = [];
  try {
    const { py, browser } = await engine;
    pyArgs = args.map((a) => py.toPy(a));
    const module = name === "preview" ? py.pyimport("nianbao.site.preview") : browser;
    const result = module[name](...pyArgs);
    const value = result && result.toJs ? result.toJs({ dict_converter: Object.fromEntries }) : result;
    if (result && result.destroy) result.destroy();
    postMessage({ id, value });
  } catch (err) {
    // A refusal (NotAReport, BadFiles) carries the CLI's Chinese message as its last line.
    const lines = String(err.message || err).trim().split("\n");
    postMessage({ id, error: lines[lines.length - 1].replace(/^[\w.]+: /, "") });
  } finally {
    pyArgs.forEach((a) => a && a.destroy && a.destroy());
  }
};
