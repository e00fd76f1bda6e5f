# Reference values for poisson-test.test.ts: R's exact test comparing two Poisson rates.
# Regenerate (needs only base R; Debian r-base-core) from the repository root with
#   Rscript packages/core/src/analytics/trend/poisson-test.reference.R \
#     > packages/core/src/analytics/trend/poisson-test.golden.json
# then read the diff before committing. Each case is poisson.test(c(x1, x2), c(t1, t2)).
cases <- list(
  c(27214, 1, 36340, 1, 0.95),       # seed: all crime 2011 vs 2007
  c(36340, 1, 27214, 1, 0.95),       # the same, the other way round
  c(10, 1, 20, 1, 0.95),
  c(0, 1, 5, 1, 0.95),               # zero in the first period
  c(5, 1, 0, 1, 0.95),               # zero in the second period: ratio and upper limit infinite
  c(11, 800, 21, 3011, 0.95),        # R's own example (unequal exposures)
  c(3, 1, 3, 1, 0.95),               # equal counts
  c(1200, 12, 1100, 11, 0.95),       # equal rates, unequal exposures
  c(450, 3, 520, 3, 0.95),
  c(25, 2.5, 40, 3, 0.95),
  c(98765, 1, 99000, 1, 0.95),       # large, close
  c(7, 11, 19, 12, 0.95),
  c(500, 31, 430, 30, 0.95),
  c(12, 1, 4, 1, 0.95),              # near the 5% boundary
  c(1, 1, 0, 1, 0.95),
  c(2931, 1, 2812, 1, 0.95),         # typical month-on-month for a city
  c(40, 1, 60, 1, 0.90),             # another confidence level
  c(40, 1, 60, 1, 0.998),
  c(1000000, 1, 1002000, 1, 0.95),   # national-scale counts
  c(5432109, 12, 5400000, 12.5, 0.998)
)
# plus 60 seeded random cases over small to large counts and uneven exposures
set.seed(20261127)
for (i in 1:60) {
  lam <- sample(c(0.5, 3, 20, 200, 5000), 2, replace = TRUE)
  x <- rpois(2, lam)
  if (sum(x) == 0) x[2] <- 1
  cases[[length(cases) + 1]] <- c(x[1], sample(c(1, 2, 3, 12, 0.5, 31), 1), x[2], sample(c(1, 2, 4, 11, 30), 1), 0.95)
}
num <- function(v) if (is.infinite(v)) "null" else sprintf("%.17g", v)
rows <- vapply(cases, function(k) {
  r <- poisson.test(c(k[1], k[3]), c(k[2], k[4]), conf.level = k[5])
  sprintf(
    '  {"x1": %s, "t1": %s, "x2": %s, "t2": %s, "confLevel": %s, "pValue": %s, "rateRatio": %s, "lower": %s, "upper": %s, "expectedCount1": %s}',
    num(k[1]), num(k[2]), num(k[3]), num(k[4]), num(k[5]), num(r$p.value), num(unname(r$estimate)),
    num(r$conf.int[1]), num(r$conf.int[2]), num(unname(r$parameter))
  )
}, "")
cat(sprintf('{\n "generatedBy": "%s",\n "cases": [\n', R.version.string))
cat(paste(rows, collapse = ",\n"))
cat("\n ]\n}\n")
