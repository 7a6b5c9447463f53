#!/usr/bin/python3
"""Opens Terrane payout statements (the XLSX files `terrane comp --statements DIR` writes) with
openpyxl (Debian python3-openpyxl), an independent XLSX reader, recomputes every live formula from
the stored constants with its own small evaluator (IF, ROUND half away from zero, SUM, cell and
sheet references), and checks
  * each formula's recomputed value against the value Terrane cached in the cell, and
  * each statement's lines and total against `terrane comp --json` (the same run's JSON).

Usage: scripts/check_statements.py DIR payouts.json
Exit 0 ok, 1 mismatch, 2 usage, 3 openpyxl not installed.
"""
import json
import math
import os
import re
import sys

try:
    import openpyxl
except ImportError:
    print("check_statements: python3-openpyxl is not installed (scripts/setup.sh installs it)")
    sys.exit(3)

TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)"
    r"|(?P<ref>(?:'(?P<qs>[^']+)'!|(?P<us>[A-Za-z0-9_]+)!)?\$?(?P<c0>[A-Z]{1,3})\$?(?P<r0>\d+)(?::\$?(?P<c1>[A-Z]{1,3})\$?(?P<r1>\d+))?)"
    r"|(?P<fn>[A-Z]+)\("
    r"|(?P<op><=|>=|<>|[-+*/=<>(),]))"
)


def col_index(c):
    n = 0
    for ch in c:
        n = n * 26 + ord(ch) - 64
    return n


def excel_round(x, digits):
    m = 10 ** digits
    # ROUND is half away from zero; x carries binary noise of a few ulps, so an exact half is
    # judged at 1e-12 relative (spreadsheets round the decimal they show, to 15 digits).
    y = abs(x) * m
    r = math.floor(y + 0.5 + 1e-12 * max(1.0, y))
    return math.copysign(r / m, x)


class Book:
    def __init__(self, path):
        self.f = openpyxl.load_workbook(path)  # formulas as text
        self.v = openpyxl.load_workbook(path, data_only=True)  # cached values
        self.memo = {}

    def value(self, sheet, coord):
        key = (sheet, coord)
        if key in self.memo:
            return self.memo[key]
        raw = self.f[sheet][coord].value
        if isinstance(raw, str) and raw.startswith("="):
            val = self.evaluate(sheet, raw[1:])
        else:
            val = raw if isinstance(raw, (int, float)) else 0.0
        self.memo[key] = val
        return val

    def evaluate(self, sheet, formula):
        toks = []
        pos = 0
        while pos < len(formula):
            m = TOKEN.match(formula, pos)
            if not m or m.end() == pos:
                raise ValueError(f"cannot read formula {formula!r} at {pos}")
            toks.append(m)
            pos = m.end()
        self.toks, self.i, self.sheet = toks, 0, sheet
        v = self.compare()
        if self.i != len(toks):
            raise ValueError(f"trailing input in {formula!r}")
        return v

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take_op(self, ops):
        t = self.peek()
        if t is not None and t.group("op") in ops:
            self.i += 1
            return t.group("op")
        return None

    def compare(self):
        a = self.additive()
        op = self.take_op(("=", "<>", "<", ">", "<=", ">="))
        if op:
            b = self.additive()
            return {"=": a == b, "<>": a != b, "<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]
        return a

    def additive(self):
        a = self.term()
        while True:
            op = self.take_op(("+", "-"))
            if not op:
                return a
            b = self.term()
            a = a + b if op == "+" else a - b

    def term(self):
        a = self.unary()
        while True:
            op = self.take_op(("*", "/"))
            if not op:
                return a
            b = self.unary()
            a = a * b if op == "*" else a / b

    def unary(self):
        if self.take_op(("-",)):
            return -self.unary()
        return self.atom()

    def args(self):
        out = [self.compare()]
        while self.take_op((",",)):
            out.append(self.compare())
        if not self.take_op((")",)):
            raise ValueError("missing )")
        return out

    def atom(self):
        t = self.peek()
        if t is None:
            raise ValueError("unexpected end")
        self.i += 1
        if t.group("num"):
            return float(t.group("num"))
        if t.group("fn"):
            name = t.group("fn")
            if name == "SUM":
                return sum(self.flat(self.args()))
            a = self.args()
            if name == "ROUND":
                return excel_round(a[0], int(a[1]))
            if name == "IF":
                return a[1] if a[0] else a[2]
            raise ValueError(f"function {name} not supported")
        if t.group("ref"):
            sheet = t.group("qs") or t.group("us") or self.sheet
            c0, r0 = t.group("c0"), int(t.group("r0"))
            if t.group("c1"):
                c1, r1 = t.group("c1"), int(t.group("r1"))
                saved = (self.toks, self.i, self.sheet)
                vals = [self.value(sheet, f"{openpyxl.utils.get_column_letter(c)}{r}")
                        for r in range(r0, r1 + 1) for c in range(col_index(c0), col_index(c1) + 1)]
                self.toks, self.i, self.sheet = saved
                return vals
            saved = (self.toks, self.i, self.sheet)
            v = self.value(sheet, f"{c0}{r0}")
            self.toks, self.i, self.sheet = saved
            return v
        if t.group("op") == "(":
            v = self.compare()
            if not self.take_op((")",)):
                raise ValueError("missing )")
            return v
        raise ValueError(f"unexpected {t.group(0)!r}")

    @staticmethod
    def flat(args):
        out = []
        for a in args:
            out.extend(a if isinstance(a, list) else [a])
        return [float(x or 0) for x in out]


def main(folder, json_path):
    with open(json_path, encoding="utf-8") as fh:
        data = json.load(fh)
    reps = {r["rep_id"]: r for r in data["reps"]}
    files = sorted(f for f in os.listdir(folder) if f.endswith(".xlsx"))
    formulas = bad = statements = 0
    for name in files:
        book = Book(os.path.join(folder, name))
        for ws in book.f.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, str) and c.value.startswith("="):
                        got = book.value(ws.title, c.coordinate)
                        cached = book.v[ws.title][c.coordinate].value
                        formulas += 1
                        if cached is None or abs(float(got) - float(cached)) > 1e-9 * max(1.0, abs(float(cached))):
                            bad += 1
                            print(f"{name} {ws.title}!{c.coordinate}: {c.value} gives {got}, cached {cached}")
        # Statement sheets against the JSON: rep id in B2 "(id)", lines from row 11, total below.
        for ws in book.f.worksheets[1:]:
            rep_text = str(ws["B2"].value or "")
            m = re.search(r"\(([^()]*)\)$", rep_text)
            rep_id = m.group(1) if m else rep_text
            rep = reps.get(rep_id)
            if rep is None:
                bad += 1
                print(f"{name} {ws.title}: rep {rep_id!r} is not in the JSON")
                continue
            statements += 1
            for k, line in enumerate(rep["lines"]):
                coord = f"G{11 + k}"
                got = book.value(ws.title, coord)
                if abs(float(got) - line["amount"]) > 0.005:
                    bad += 1
                    print(f"{name} {ws.title}!{coord}: {got}, the JSON says {line['amount']} ({line['explain']})")
            total = book.value(ws.title, f"G{11 + len(rep['lines'])}")
            if abs(float(total) - rep["payout"]) > 0.005:
                bad += 1
                print(f"{name} {ws.title}: total {total}, the JSON says {rep['payout']}")
    print(f"check_statements: {len(files)} workbooks, {statements} statements, {formulas} formulas recomputed, {bad} mismatched")
    return 1 if bad or formulas == 0 or statements == 0 else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
