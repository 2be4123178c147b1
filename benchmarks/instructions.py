"""Instructions per case under callgrind: a measure of the engine that neighbours do not disturb.

Timings on the shared 2-core VM move by ±30 % with the other jobs on it; the number of
instructions a case takes does not.  Each path is run in a child process under
``valgrind --tool=callgrind``: it evaluates the 400 cases of the varied mix once (every policy
version, reading and rule program built, so nothing is compiled while it is measured), then
evaluates 200 of them again (or none); the difference between the two runs, divided by 200,
is the cost of one case, ``to_dict()`` included.  Needs ``valgrind``; takes a few minutes.

    .venv/bin/python benchmarks/instructions.py                  # compiled lean and full, reference
    .venv/bin/python benchmarks/instructions.py lean             # one path
    .venv/bin/python benchmarks/instructions.py cold import      # whole cold processes

``cold`` and ``import`` count a whole process instead: ``redress evaluate`` of the example case
and ``import redress``, each run once before (bytecode written, the policy set cached in a
folder of this run) as a user's second start is.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEASURED = 200
PATHS = {
    "lean": "compiled, plain, lean to_dict(form='lean')",
    "full": "compiled, plain, full to_dict()",
    "reference": "before (reference), plain, full to_dict()",
}
PROCESSES = {
    "cold": ("cold `redress evaluate` of the example case, whole process",
             ["-c", "from redress.cli import console_main; console_main()", "evaluate",
              "examples/EX-2025-0042.yaml", "--as-of", "2025-06-01"]),
    "import": ("cold `import redress`, whole process", ["-c", "import redress"]),
}
CHILD = """
import gc, sys
from redress import CaseError
from redress.evaluation.evaluate import Engine
from redress.testing.reference import ReferenceEngine
from redress.testing.varied import varied_cases
path, n = sys.argv[1], int(sys.argv[2])
engine = (ReferenceEngine if path == "reference" else Engine).load(backend="plain")
form = "lean" if path == "lean" else "full"
mix = varied_cases(400, seed=11)
def run(cases):
    for case, as_of in cases:
        try:
            engine.evaluate(case, as_of=as_of).to_dict(form)
        except CaseError as exc:
            str(exc)
run(mix)
gc.disable()
run(mix[200:200 + n])
"""


def _instructions(path: str, n: int) -> int:
    # A fixed string-hash seed: both runs then hash (and collide) alike, and the difference is
    # the cases' alone.
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         sys.executable, "-c", CHILD, path, str(n)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return _collected(done.stderr, path)


def _collected(stderr: str, what: str) -> int:
    found = re.search(r"Collected : ([\d,]+)", stderr)
    if found is None:
        raise RuntimeError(f"no instruction count from callgrind for {what}")
    return int(found.group(1).replace(",", ""))


def whole_process(name: str) -> int:
    """Instructions of one whole second start (bytecode and policy-set cache already made)."""
    args = PROCESSES[name][1]
    with tempfile.TemporaryDirectory(prefix="redress-instructions-") as folder:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(PYTHONHASHSEED="0", REDRESS_CACHE_DIR=f"{folder}/cache",
                   PYTHONPYCACHEPREFIX=f"{folder}/pycache")
        subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True,
                       check=True)
        done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                               sys.executable, *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, check=True)
    return _collected(done.stderr, name)


def per_case(path: str) -> int:
    with ThreadPoolExecutor(2) as pool:
        none, some = pool.map(lambda n: _instructions(path, n), (0, MEASURED))
    return (some - none) // MEASURED


def main(argv: list[str]) -> int:
    names = argv or list(PATHS)
    unknown = [n for n in names if n not in PATHS and n not in PROCESSES]
    if unknown:
        print(f"unknown path(s): {', '.join(unknown)}; paths: {', '.join([*PATHS, *PROCESSES])}",
              file=sys.stderr)
        return 2
    for name in (n for n in names if n in PROCESSES):
        print(f"{PROCESSES[name][0]}: {whole_process(name):,} instructions")
    counts = {name: per_case(name) for name in names if name in PATHS}
    for name, count in counts.items():
        line = f"{PATHS[name]}: {count:,} instructions a case"
        if "reference" in counts and name != "reference":
            line += f" ({counts['reference'] / count:.2f}× fewer than the reference)"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
