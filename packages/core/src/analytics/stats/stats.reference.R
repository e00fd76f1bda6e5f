# Reference values for stats.test.ts (base R only). Regenerate from the repository root with
#   Rscript packages/core/src/analytics/stats/stats.reference.R > packages/core/src/analytics/stats/stats.golden.json
f <- function(v) if (is.infinite(v)) "null" else sprintf("%.17g", v)
row <- function(fn, args, value) sprintf('  {"fn": "%s", "args": [%s], "value": %s}', fn, paste(vapply(args, f, ""), collapse = ", "), f(value))
out <- c(
  row("lgamma", list(0.5), lgamma(0.5)), row("lgamma", list(7.25), lgamma(7.25)), row("lgamma", list(36340), lgamma(36340)),
  row("pbeta", list(0.3, 2, 5), pbeta(0.3, 2, 5)), row("pbeta", list(0.57, 36340, 27215), pbeta(0.57, 36340, 27215)),
  row("pbeta", list(0.001, 0.5, 3), pbeta(0.001, 0.5, 3)),
  row("qbeta", list(0.025, 36340, 27215), qbeta(0.025, 36340, 27215)), row("qbeta", list(0.975, 3, 1), qbeta(0.975, 3, 1)),
  row("qbeta", list(0.025, 1, 63554), qbeta(0.025, 1, 63554)), row("qbeta", list(0.999, 0.5, 0.5), qbeta(0.999, 0.5, 0.5)),
  row("pgamma", list(5, 3), pgamma(5, 3)), row("pgammaUpper", list(120, 100), pgamma(120, 100, lower.tail = FALSE)),
  row("qgamma", list(0.025, 100), qgamma(0.025, 100)), row("qgamma", list(0.975, 101), qgamma(0.975, 101)),
  row("qgamma", list(0.001, 0.5), qgamma(0.001, 0.5)), row("qgamma", list(0.999, 123456.7), qgamma(0.999, 123456.7)),
  row("qgamma", list(0.001, 3.2), qgamma(0.001, 3.2)), row("qgamma", list(0.999, 4.2), qgamma(0.999, 4.2)),
  row("ppois", list(10, 12.3), ppois(10, 12.3)), row("qpois", list(0.975, 12.3), qpois(0.975, 12.3)),
  row("qpois", list(0.975, 1000), qpois(0.975, 1000)), row("qpois", list(0.975, 0.2), qpois(0.975, 0.2)),
  row("dbinom", list(30000, 63554, 0.5), dbinom(30000, 63554, 0.5)), row("dbinom", list(3, 10, 0.3), dbinom(3, 10, 0.3)),
  row("pbinom", list(30000, 63554, 0.5), pbinom(30000, 63554, 0.5)), row("pbinomUpper", list(3, 10, 0.3), pbinom(3, 10, 0.3, lower.tail = FALSE))
)
cat(sprintf('{\n "generatedBy": "%s",\n "cases": [\n%s\n ]\n}\n', R.version.string, paste(out, collapse = ",\n")))
