"""
Independent reference for peer/overdispersion.ts and peerCompare's over-dispersed funnel limits
(Spiegelhalter 2005, Statistics in Medicine 24:1185; FunnelPlotR's od_adjustment.R conventions).

Written separately from the TypeScript, with numpy/scipy: numpy.quantile(method="linear") is R's
quantile type 7, scipy.stats.norm.ppf is qnorm, chi2.sf the over-dispersion test, gamma.ppf the
exact Poisson limits. R is not installed on this machine (no Rscript), so this stands in for it;
the arithmetic is the same as FunnelPlotR's phi_func / tau_func / winsorisation.

Run from the repository root:
  python3 packages/core/test/golden/peer/overdispersion.reference.py > packages/core/test/golden/peer/overdispersion.golden.json
"""
import json

import numpy as np
from scipy.stats import chi2, gamma, norm

PER = 1000.0
LEVELS = [0.95, 0.998]

# A made-up Most Similar Group of 15 CSPs (all crime in a year): populations of English CSPs'
# size, rates within about 8% of 76 per 1,000: a spread small to the eye but well beyond
# Poisson (the issue found dispersion ratios of 5 to 73 across crime groups).
GROUP = [
    ("E1", 134_500, 9_670), ("E2", 156_800, 12_167), ("E3", 172_300, 12_663), ("E4", 188_900, 14_443),
    ("E5", 201_200, 16_209), ("E6", 214_700, 16_121), ("E7", 229_100, 18_038), ("E8", 248_600, 17_647),
    ("E9", 256_300, 19_654), ("E10", 263_900, 21_741), ("E11", 275_400, 20_491), ("E12", 289_800, 22_619),
    ("E13", 301_200, 21_930), ("E14", 322_600, 24_885), ("E15", 349_100, 26_452),
]
# The hand-calculation group of the unit test: populations 10,000, counts 65..135, pooled rate 10.
SMALL = [("A", 10_000, 65), ("B", 10_000, 90), ("C", 10_000, 100), ("D", 10_000, 110), ("E", 10_000, 135)]


def poisson_limits(theta0, n, level):
    e = theta0 / PER * n
    a = (1 - level) / 2
    lower = gamma.ppf(a, e) if e > 0 else 0.0
    upper = gamma.ppf(1 - a, e + 1)
    return [lower / n * PER, upper / n * PER]


def compute(rows):
    pop = np.array([r[1] for r in rows], dtype=float)
    cnt = np.array([r[2] for r in rows], dtype=float)
    n = len(rows)
    theta0 = cnt.sum() / pop.sum() * PER
    rate = cnt / pop * PER
    v = theta0 * PER / pop
    z = (rate - theta0) / np.sqrt(v)
    lo, hi = np.quantile(z, [0.1, 0.9], method="linear")
    zw = np.clip(z, lo, hi)
    phi = float(np.sum(zw**2) / n)
    w = 1 / v
    tau2 = max(0.0, (n * phi - (n - 1)) / (w.sum() - (w**2).sum() / w.sum())) if n * phi > n - 1 else 0.0
    out = {
        "rows": [{"code": c, "population": p, "count": k} for c, p, k in rows],
        "groupRate": theta0,
        "z": z.tolist(),
        "winsor": [float(lo), float(hi)],
        "phi": phi,
        "pearsonRatio": float(np.sum(z**2) / (n - 1)),
        "pValue": float(chi2.sf(np.sum(z**2), n - 1)),
        "tau2": tau2,
        "limits": {},
    }
    for model in ["multiplicative", "additive", "poisson"]:
        per_area = []
        for i in range(n):
            lim = {}
            for level in LEVELS:
                if model == "poisson":
                    lim[str(level)] = poisson_limits(theta0, pop[i], level)
                else:
                    var = phi * v[i] if model == "multiplicative" else v[i] + tau2
                    half = norm.ppf((1 + level) / 2) * np.sqrt(var)
                    lim[str(level)] = [max(0.0, theta0 - half), theta0 + half]
            inner, outer = lim["0.95"], lim["0.998"]
            r = rate[i]
            pos = "above" if r > inner[1] else "below" if r < inner[0] else "within"
            beyond = None if pos == "within" else (0.998 if (r > outer[1] if pos == "above" else r < outer[0]) else 0.95)
            per_area.append({"code": rows[i][0], "rate": r, "inner": inner, "outer": outer, "position": pos, "beyond": beyond})
        out["limits"][model] = per_area
    return out


print(json.dumps({"group": compute(GROUP), "small": compute(SMALL)}, indent=1))
