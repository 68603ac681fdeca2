"""edsl from Python, on libedsl (ctypes; the standard library only).

    import edsl
    r = edsl.run("scenarios/baseline.edsl", set={"inference.firms": 10}, seed=42)
    r["T_star_nash"]          # 0.62... (a number; its unit is in r.units)
    r["alpha_table"]          # a table: a pandas DataFrame when pandas is installed,
                              # else a list of rows (dicts)

A scenario may also be given as text: edsl.run_text("report x = 1 + 1"). Errors raise
edsl.EdslError, whose .diagnostics are edsl's own ({severity, file, line, column, message}).
libedsl is found from $EDSL_LIB, from an installed package (cmake --install records where
it put the library), or on the loader's path.
"""
import ctypes
import ctypes.util
import json
import os

__all__ = ["run", "run_text", "Results", "EdslError", "version"]


class EdslError(Exception):
    """A scenario that does not compile or run: .status is edsl run's exit status (1 input,
    3 numeric, 4 a claim that does not hold), .diagnostics the located messages."""

    def __init__(self, status, diagnostics):
        self.status = status
        self.diagnostics = diagnostics
        first = diagnostics[0] if diagnostics else {}
        where = "%s:%s:%s: " % (first.get("file"), first.get("line"), first.get("column")) \
            if first.get("line") else ""
        super().__init__(where + first.get("message", "edsl failed (status %d)" % status))


def _load():
    names = []
    if os.environ.get("EDSL_LIB"):
        names.append(os.environ["EDSL_LIB"])
    here = os.path.dirname(os.path.abspath(__file__))
    try:  # installed: _libdir.py records the way to prefix's libdir
        from . import _libdir
        names.append(os.path.join(here, _libdir.LIBDIR, "libedsl.so.0"))
    except ImportError:
        pass
    found = ctypes.util.find_library("edsl")
    if found:
        names.append(found)
    for name in names:
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    raise OSError("libedsl not found: set EDSL_LIB to its path (tried %s)" % ", ".join(names))


_lib = _load()
_lib.edsl_version.restype = ctypes.c_char_p
_lib.edsl_open.restype = ctypes.c_void_p
_lib.edsl_close.argtypes = [ctypes.c_void_p]
_lib.edsl_load_file.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
_lib.edsl_load_text.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
_lib.edsl_set.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
_lib.edsl_set_seed.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
_lib.edsl_set_threads.argtypes = [ctypes.c_void_p, ctypes.c_int]
_lib.edsl_run.argtypes = [ctypes.c_void_p]
_lib.edsl_results_json.argtypes = [ctypes.c_void_p]
_lib.edsl_results_json.restype = ctypes.c_char_p
_lib.edsl_diagnostics_json.argtypes = [ctypes.c_void_p]
_lib.edsl_diagnostics_json.restype = ctypes.c_char_p


def version():
    return _lib.edsl_version().decode()


class Results(dict):
    """The results by name: numbers, text, lists, and tables (DataFrames with pandas).
    .units maps a name to its unit, .document is edsl's whole JSON output (provenance
    included), .warnings are the run's warnings."""

    def __init__(self, document, warnings):
        super().__init__()
        self.document = document
        self.units = {}
        self.warnings = warnings
        for name, r in document.get("results", {}).items():
            self[name] = _value(r)
            if isinstance(r, dict) and "unit" in r:
                self.units[name] = r["unit"]
            elif isinstance(r, dict) and "units" in r and "columns" in r:
                self.units[name] = dict(zip(r["columns"], r["units"]))


def _value(r):
    if not isinstance(r, dict):
        return r
    if "columns" in r and "rows" in r:
        rows = [dict(zip(r["columns"], row)) for row in r["rows"]]
        try:
            import pandas
        except ImportError:
            return rows
        return pandas.DataFrame(r["rows"], columns=r["columns"])
    return r.get("value", r)


def _session(load, set, seed, threads):
    s = _lib.edsl_open()
    if not s:
        raise MemoryError("edsl_open")
    try:
        def fail(status):
            diags = json.loads(_lib.edsl_diagnostics_json(s).decode())
            raise EdslError(status, [d for d in diags if d.get("severity") != "warning"] or diags)
        if load(s) != 0:
            fail(1)
        for path, value in (set or {}).items():
            if _lib.edsl_set(s, ("%s=%s" % (path, value)).encode()) != 0:
                fail(1)
        if seed is not None:
            _lib.edsl_set_seed(s, int(seed))
        _lib.edsl_set_threads(s, int(threads))
        status = _lib.edsl_run(s)
        if status != 0:
            fail(status)
        diags = json.loads(_lib.edsl_diagnostics_json(s).decode())
        return Results(json.loads(_lib.edsl_results_json(s).decode()), diags)
    finally:
        _lib.edsl_close(s)


def run(path, set=None, seed=None, threads=1):
    """Runs the scenario file at path (its imports found beside it, then in the stdlib) with
    the overrides of set ({"market.firms": 10, "packaging.alpha": "0.2"}: values as --set
    takes them), and returns its Results."""
    return _session(lambda s: _lib.edsl_load_file(s, os.fsencode(path)), set, seed, threads)


def run_text(text, name="<text>.edsl", set=None, seed=None, threads=1):
    """Runs a scenario given as text; name is what diagnostics call it, and its imports are
    found beside that name."""
    return _session(lambda s: _lib.edsl_load_text(s, name.encode(), text.encode()), set, seed,
                    threads)
