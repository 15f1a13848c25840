#!/usr/bin/env bash
# Sums the counters of every .trx file under $1 and prints one plain line: "N passed, N failed, N skipped".
# Each failed test is printed above that line with the head of its message, so a CI log's tail names it.
set -euo pipefail
dir=${1:?usage: test-summary.sh RESULTS_DIR}
python3 - "$dir" <<'PY'
import glob, os, sys
import xml.etree.ElementTree as ET

ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
failures = []
for path in sorted(glob.glob(os.path.join(sys.argv[1], "**", "*.trx"), recursive=True)):
    root = ET.parse(path).getroot()
    counters = root.find("t:ResultSummary/t:Counters", ns)
    if counters is not None:
        passed += int(counters.get("passed", 0))
        failed += int(counters.get("failed", 0)) + int(counters.get("error", 0))
        skipped += int(counters.get("notExecuted", 0))
    for result in root.iterfind(".//t:UnitTestResult", ns):
        if result.get("outcome") == "Failed":
            message = result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=ns).strip()
            failures.append((result.get("testName", "?"), message))
for name, message in failures:
    print(f"FAILED {name}")
    for line in message.splitlines()[:8]:
        print(f"    {line}")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
