#!/usr/bin/env python3
"""Generated CRM histories with known behaviour, for measuring forecast accuracy.

Deals are created every day (Poisson, with optional growth and seasonality); each is won with a
probability set by its owner's skill and its product, takes 20-120 days, is sometimes pulled to
its quarter's end when won, has its expected close date pushed now and then, and moves through
four stages. Writes opportunities.csv (the state at the end of the data) and stage_history.csv
(every stage change with its amount, close date, probability and forecast category), in the
project's own snake_case columns.

Usage: crm_generator.py OUT_DIR [per_day=10] [seed=1] [start=2021-01-01] [end=2025-12-31]
       [growth=0.0] [season=0.0] [sigma=0.8] [quarter_end_pull=0.3] [owners=20]
       [history=1] [close_dates=1] [categories=1]
"""
import csv
import datetime as dt
import math
import os
import random
import sys

STAGES = ["Prospecting", "Qualification", "Proposal", "Negotiation"]
PROBABILITY = [0.1, 0.25, 0.5, 0.75]
CATEGORY = ["Pipeline", "Pipeline", "Best Case", "Commit"]


def poisson(rng, lam):
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def generate(out, per_day=10, seed=1, start="2021-01-01", end="2025-12-31", growth=0.0, season=0.0, sigma=0.8,
             quarter_end_pull=0.3, owners=20, history=1, close_dates=1, categories=1):
    rng = random.Random(seed)
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    skill = [rng.gauss(0, 0.5) for _ in range(owners)]
    opportunities, changes = [], []
    day = first
    while day <= last:
        years = (day - first).days / 365.0
        rate = per_day * math.exp(growth * years) * (1 + season * math.sin(2 * math.pi * day.month / 12))
        for _ in range(poisson(rng, rate)):
            oid = f"O{len(opportunities) + 1:07d}"
            owner = rng.randrange(owners)
            product = "Add-on" if rng.random() < 0.3 else "Core"
            amount = round(rng.lognormvariate(math.log(20000), sigma) / 100) * 100
            p_win = 1 / (1 + math.exp(-(-0.6 + skill[owner] + (0.7 if product == "Add-on" else 0))))
            won = rng.random() < p_win
            cycle = 20 + rng.randrange(100)
            close = day + dt.timedelta(days=cycle)
            if won and close.month % 3 != 0 and rng.random() < quarter_end_pull:
                close = dt.date(close.year, (close.month - 1) // 3 * 3 + 3, 28)
            reached = 3 if won else rng.randrange(4)
            expected = day + dt.timedelta(days=cycle - rng.randrange(20))
            steps = []
            for s in range(reached + 1):
                when = day + dt.timedelta(days=(close - day).days * s // (reached + 1))
                if s > 0 and rng.random() < 0.25:
                    expected += dt.timedelta(days=15 + rng.randrange(30))
                steps.append((when, STAGES[s], expected, PROBABILITY[s], CATEGORY[s]))
            closed = close <= last
            if closed:
                steps.append((close, "Closed Won" if won else "Closed Lost", close, 1.0 if won else 0.0,
                              "Closed" if won else "Omitted"))
            when, stage, expected_close, probability, category = steps[-1]
            row = dict(opportunity_id=oid, owner=f"Rep {owner + 1}", product=product, stage=stage, amount=amount,
                       probability=probability, created_date=day.isoformat(),
                       close_date=expected_close.isoformat() if (closed or close_dates) else "",
                       is_closed=str(closed).lower(), is_won=str(closed and won).lower())
            if categories:
                row["forecast_category"] = category
            opportunities.append(row)
            for when, stage, expected_close, probability, category in steps:
                change = dict(opportunity_id=oid, stage=stage, date=when.isoformat(), amount=amount,
                              close_date=expected_close.isoformat() if (close_dates or stage.startswith("Closed")) else "",
                              probability=probability)
                if categories:
                    change["forecast_category"] = category
                changes.append(change)
        day += dt.timedelta(days=1)
    os.makedirs(out, exist_ok=True)
    files = [("opportunities.csv", opportunities)] + ([("stage_history.csv", changes)] if history else [])
    for name, rows in files:
        with open(os.path.join(out, name), "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
            w.writeheader()
            w.writerows(rows)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    text = {"start", "end"}
    opts = {}
    for arg in sys.argv[2:]:
        key, value = arg.split("=", 1)
        opts[key] = value if key in text else float(value) if "." in value else int(value)
    generate(sys.argv[1], **opts)
