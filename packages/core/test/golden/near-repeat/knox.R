# Independent base-R reference of the Knox count (no NearRepeat package; `cut` is not used either).
# For every unordered pair i < j: distance (dist(), euclidean or manhattan) and |t_i - t_j|.
# Bands as NearRepeat's defaults (cut(right = FALSE, include.lowest = FALSE)): [b_k, b_k+1);
# findInterval() gives k with b_k <= v < b_k+1; v < b_1 or v >= last break is in no band.
# Expected counts are exact under a random permutation of the times over the points:
# E[count(s, t)] = N_s * N_t / M, N_s = pairs in distance band s, N_t = pairs in time band t,
# M = n (n - 1) / 2 (each pair gets a uniformly random pair of the times).
# Run in this folder: Rscript knox.R  (writes knox-<case>.golden.csv)
pts <- read.csv("knox-points.csv")
n <- nrow(pts)
cases <- list(
  list(name = "euclidean", method = "euclidean", sds = c(0, 1, 100, 200, 400, Inf), tds = c(0, 7, 14, 28, Inf)),
  list(name = "manhattan", method = "manhattan", sds = c(0, 100, 200, 400), tds = c(0, 7, 14, 28)),
  list(name = "offset", method = "euclidean", sds = c(50, 150, 300), tds = c(3, 10, 30.5))
)
band <- function(v, breaks) {
  k <- findInterval(v, breaks, rightmost.closed = FALSE, left.open = FALSE)
  k[k == 0 | k == length(breaks)] <- NA
  k
}
num <- function(v) vapply(v, function(b) if (is.infinite(b)) "Inf" else as.character(b), "")
lower <- function(d) as.vector(d)  # dist objects hold the lower triangle, each pair once
tdist <- lower(dist(pts$t))
M <- n * (n - 1) / 2
stopifnot(length(tdist) == M)
for (cs in cases) {
  sdist <- lower(dist(cbind(pts$x, pts$y), method = cs$method))
  sb <- band(sdist, cs$sds)
  tb <- band(tdist, cs$tds)
  ns <- length(cs$sds) - 1
  nt <- length(cs$tds) - 1
  obs <- table(factor(sb, levels = 1:ns), factor(tb, levels = 1:nt))
  Ns <- tabulate(sb[!is.na(sb)], nbins = ns)
  Nt <- tabulate(tb[!is.na(tb)], nbins = nt)
  out <- expand.grid(t = 1:nt, s = 1:ns)
  res <- data.frame(
    distance_from = num(head(cs$sds, -1))[out$s],
    distance_to = num(tail(cs$sds, -1))[out$s],
    time_from = num(head(cs$tds, -1))[out$t],
    time_to = num(tail(cs$tds, -1))[out$t],
    observed = as.integer(obs[cbind(out$s, out$t)]),
    expected = sprintf("%.6f", as.numeric(Ns[out$s]) * as.numeric(Nt[out$t]) / M)
  )
  write.csv(res, paste0("knox-", cs$name, ".golden.csv"), row.names = FALSE, quote = FALSE)
  cat(cs$name, ": n =", n, ", pairs in bands =", sum(obs), "\n")
}
