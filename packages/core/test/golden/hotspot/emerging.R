# Independent implementation of emerging hot spot analysis, for the golden of hotspotEmerging.
# Space-time Gi* with spdep::localG on the stacked cube (cells x steps) and a space-time neighbour
# list (queen neighbours incl. self at the same step and the previous step); Mann-Kendall written
# out by hand (the Kendall package is not in Debian); the DOMAIN.md categories written as a
# decision tree. Bins are classed on Benjamini-Hochberg adjusted p over all bins (the default since
# issue 13; `categoryRawP` keeps the earlier raw-p classes). The Hamed and Rao (1998) variance-corrected
# Mann-Kendall is written out here too, independently (stats::acf on the ranks of the Sen-detrended
# series; modifiedmk is not reachable here): hrZ, hrP, hrCorrection, categoryHamedRao (FDR bins, HR trend).
# Needs r-base-core and r-cran-spdep. Run from the repo root:
#   Rscript packages/core/test/golden/hotspot/emerging.R
suppressPackageStartupMessages(library(spdep))
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
alpha <- 0.05; trend_alpha <- 0.05; window <- 1

# Spatial neighbours (self included) of each row of a cube file, as row numbers.
square_neighbours <- function(cube) {
  e <- as.numeric(cube$easting); n <- as.numeric(cube$northing)
  xs <- sort(unique(e)); ys <- sort(unique(n))
  stopifnot(nrow(cube) == length(xs) * length(ys))
  grid_index <- (match(n, ys) - 1) * length(xs) + match(e, xs)     # cell2nb numbering
  nb_grid <- include.self(cell2nb(length(ys), length(xs), type = "queen"))
  row_of <- order(grid_index)                                       # grid cell k -> row of `cube`
  lapply(seq_len(nrow(cube)), function(i) row_of[nb_grid[[grid_index[i]]]])
}
# H3: centres (BNG) within 1.35 x the median nearest-neighbour spacing (adjacent hexagons at d, the next ring at sqrt(3) d)
h3_neighbours <- function(cube) {
  xy <- cbind(as.numeric(cube$easting), as.numeric(cube$northing))
  d1 <- median(unlist(nbdists(knn2nb(knearneigh(xy, k = 1)), xy)))
  nb <- dnearneigh(xy, 0, 1.35 * d1)
  stopifnot(max(card(nb)) <= 6)
  lapply(seq_len(nrow(cube)), function(i) sort(c(i, nb[[i]][nb[[i]] > 0])))
}

emerging <- function(input, neighbours, output) {
  cube <- read.csv(file.path(here, input), check.names = FALSE, colClasses = "character")
  steps <- colnames(cube)[-(1:3)]
  N <- nrow(cube); Tn <- length(steps)
  counts <- matrix(as.numeric(as.matrix(cube[, steps])), N, Tn)
  nb_rows <- neighbours(cube)

  # stacked observation (cell i, step t) -> (t - 1) * N + i
  st_nb <- vector("list", N * Tn)
  for (t in seq_len(Tn)) for (i in seq_len(N)) {
    s <- max(1, t - window):t
    st_nb[[(t - 1) * N + i]] <- sort(as.integer(unlist(lapply(s, function(u) (u - 1) * N + nb_rows[[i]]))))
}
class(st_nb) <- "nb"
attr(st_nb, "region.id") <- as.character(seq_len(N * Tn))
attr(st_nb, "self.included") <- TRUE
x <- as.vector(counts)                                              # column-major: (t - 1) * N + i
z <- matrix(as.numeric(localG(x, nb2listw(st_nb, style = "B"))), N, Tn)
p <- 2 * pnorm(-abs(z))
p_fdr <- matrix(p.adjust(as.vector(p), method = "BH"), N, Tn)

mann_kendall <- function(v) {
  v <- round(v, 9); k <- length(v)
  s <- 0
  for (a in 1:(k - 1)) s <- s + sum(sign(v[(a + 1):k] - v[a]))
  ties <- table(v); ties <- ties[ties > 1]
  var_s <- (k * (k - 1) * (2 * k + 5) - sum(ties * (ties - 1) * (2 * ties + 5))) / 18
  zz <- if (var_s > 0 && s != 0) (s - sign(s)) / sqrt(var_s) else 0
  n0 <- k * (k - 1) / 2; n1 <- sum(ties * (ties - 1) / 2)
  c(s = s, z = zz, p = 2 * pnorm(-abs(zz)), tau = if (n0 - n1 > 0) s / sqrt((n0 - n1) * n0) else 0)
}

# Hamed and Rao (1998), J. Hydrology 204:182-196: Var*(S) = Var(S) * n/n*, n/n* = 1 + 2/(n(n-1)(n-2)) *
# sum_k (n-k)(n-k-1)(n-k-2) rho_k over the lags whose rank autocorrelation of the series detrended by
# Sen's slope is significant at 5% (|rho_k| > qnorm(0.975)/sqrt(n)); a factor <= 0 is not used (1).
hamed_rao <- function(v) {
  v <- round(v, 9); k <- length(v)
  base <- mann_kendall(v)
  slopes <- unlist(lapply(1:(k - 1), function(a) (v[(a + 1):k] - v[a]) / ((a + 1):k - a)))
  detr <- v - median(slopes) * seq_len(k)
  rho <- as.numeric(acf(rank(detr), lag.max = k - 1, plot = FALSE)$acf)[-1]
  rho[is.na(rho) | abs(rho) <= qnorm(0.975) / sqrt(k)] <- 0
  lags <- seq_len(k - 1)
  factor <- 1 + 2 / (k * (k - 1) * (k - 2)) * sum((k - lags) * (k - lags - 1) * (k - lags - 2) * rho)
  if (!(factor > 0)) factor <- 1
  ties <- table(v); ties <- ties[ties > 1]
  var_s <- (k * (k - 1) * (2 * k + 5) - sum(ties * (ties - 1) * (2 * ties + 5))) / 18 * factor
  s <- base[["s"]]
  zz <- if (var_s > 0 && s != 0) (s - sign(s)) / sqrt(var_s) else 0
  c(s = s, z = zz, p = 2 * pnorm(-abs(zz)), tau = base[["tau"]], correction = factor)
}

# One side of the DOMAIN.md rules; `sig` marks this side's significant steps, `other` the opposite
# side's; `up` the trend towards this side, `down` away from it. Returns a pattern or NA.
pattern <- function(sig, other, up, down) {
  k <- length(sig); share <- mean(sig); last <- sig[k]
  run <- if (last) { r <- rle(rev(sig)); r$lengths[1] } else 0
  if (!last) return(if (share >= 0.9) "historical" else NA)
  if (sum(sig) == 1) return("new")
  if (share < 0.9) {
    if (run == sum(sig)) return("consecutive")
    return(if (any(other[-k])) "oscillating" else "sporadic")
  }
  if (up) return("intensifying")
  if (down) return("diminishing")
  "persistent"
}
order_of <- c("new", "consecutive", "intensifying", "persistent", "diminishing", "sporadic", "oscillating", "historical")

classify <- function(zi, pi, m) {
  hot <- pi < alpha & zi > 0; cold <- pi < alpha & zi < 0
  rising <- m["p"] < trend_alpha && m["z"] > 0; falling <- m["p"] < trend_alpha && m["z"] < 0
  h <- pattern(hot, cold, rising, falling); cl <- pattern(cold, hot, falling, rising)
  rank_h <- if (is.na(h)) 99 else match(h, order_of); rank_c <- if (is.na(cl)) 99 else match(cl, order_of)
  if (rank_h == 99 && rank_c == 99) "no-pattern" else if (rank_h <= rank_c) paste0(h, "-hotspot") else paste0(cl, "-coldspot")
}
category <- character(N); category_raw <- character(N); category_hr <- character(N); mk <- matrix(0, N, 4); hr <- matrix(0, N, 5)
for (i in seq_len(N)) {
  m <- mann_kendall(z[i, ]); mk[i, ] <- m
  h <- hamed_rao(z[i, ]); hr[i, ] <- h
  category[i] <- classify(z[i, ], p_fdr[i, ], m)
  category_raw[i] <- classify(z[i, ], p[i, ], m)
  category_hr[i] <- classify(z[i, ], p_fdr[i, ], h)
}

f6 <- function(v) sprintf("%.6f", v)
out <- data.frame(id = cube$id, category = category, categoryRawP = category_raw, categoryHamedRao = category_hr,
                  hrZ = f6(hr[, 2]), hrP = f6(hr[, 3]), hrCorrection = f6(hr[, 5]), mkS = sprintf("%d", as.integer(mk[, 1])), mkZ = f6(mk[, 2]),
                  mkP = f6(mk[, 3]), mkTau = f6(mk[, 4]))
for (t in seq_len(Tn)) out[[paste0("z", steps[t])]] <- f6(z[, t])
out <- out[order(out$id, method = "radix"), ]
write.csv(out, file.path(here, output), row.names = FALSE, quote = FALSE)
cat(output, N, "cells x", Tn, "steps\n"); print(table(category)); print(table(category_raw)); print(table(category_hr))
}

emerging("cube-southampton-500m.counts.csv", square_neighbours, "cube-southampton-500m.emerging.golden.csv")
emerging("cube-southampton-h3r8.counts.csv", h3_neighbours, "cube-southampton-h3r8.emerging.golden.csv")
