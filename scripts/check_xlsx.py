#!/usr/bin/python3
"""Opens a Terrane quota workbook with openpyxl (Debian python3-openpyxl), an independent XLSX
reader, and checks that every live roll-up formula (SUM over children, rep references) adds up,
over the stored values, to the value Terrane cached for it.

Usage: scripts/check_xlsx.py plan.xlsx     (exit 0 ok, 1 mismatch, 3 openpyxl not installed)
Run by the unit tests (tests/unit/test_comp_cli.cpp) on a sample plan; setup.sh installs openpyxl.
"""
import re
import sys

try:
    import openpyxl
except ImportError:
    print("check_xlsx: python3-openpyxl is not installed; skipped")
    sys.exit(3)

REF = re.compile(r"([A-Za-z]+)!([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?")


def cells(wb_values, sheet, c0, r0, c1, r1):
    ws = wb_values[sheet]
    for row in ws[f"{c0}{r0}:{c1}{r1}"]:
        for c in row:
            yield c.value or 0


def main(path):
    wb = openpyxl.load_workbook(path)  # formulas as text
    wv = openpyxl.load_workbook(path, data_only=True)  # cached values
    checked = bad = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                f = c.value
                if not (isinstance(f, str) and f.startswith("=") and "!" in f):
                    continue
                total = 0.0
                for m in REF.finditer(f):
                    sheet, c0, r0, c1, r1 = m.group(1), m.group(2), int(m.group(3)), m.group(4) or m.group(2), int(m.group(5) or m.group(3))
                    total += sum(float(v) for v in cells(wv, sheet, c0, r0, c1, r1))
                cached = float(wv[ws.title][c.coordinate].value or 0)
                checked += 1
                if abs(total - cached) > 0.005:
                    bad += 1
                    print(f"{ws.title}!{c.coordinate}: {f} = {total:.2f}, cached {cached:.2f}")
    print(f"check_xlsx: {path}: sheets {wb.sheetnames}; {checked} roll-up formulas checked, {bad} mismatched")
    return 1 if bad or checked == 0 else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
