// SPDX-License-Identifier: GPL-2.0
/*
 * bootgraph statistics over several boots: medians, quartiles and the
 * Mann-Whitney U test, for diff and for summary over several boots.
 *
 * Boot times are not normal (a boot is slow for one reason, never
 * slightly slow for many), and a person boots a machine a handful of
 * times, not a hundred.  So the centre is the median, the spread the
 * interquartile range, and two groups of boots are compared by the
 * Mann-Whitney U test, which assumes nothing of the distribution: U
 * counts the pairs (a, b) of a boot from each group with b < a, and
 * under "no change" every split of the pooled ranks is equally likely.
 *
 * Without ties and with at most MW_EXACT_MAX boots a side, the two-sided
 * p-value is exact: the number of splits of m + n ranks with statistic
 * u is the coefficient of q^u in the Gaussian binomial [m+n choose m]_q,
 * computed as the product over i = 1..m of (1 - q^(n+i)) / (1 - q^i)
 * in power series truncated at q^(mn), which is exact because every
 * partial product is a polynomial of degree at most mn.  Otherwise
 * (ties, or more boots) it is the normal approximation with the tie
 * correction of the variance and a continuity correction, as R's
 * wilcox.test() does.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bootgraph.h"

#define MW_EXACT_MAX	30

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

void bg_sort_doubles(double *v, int n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_double);
}

/* The q-quantile of sorted v, interpolated between order statistics. */
double bg_quantile(const double *v, int n, double q)
{
	double h = (n - 1) * q;
	int i = (int)h;

	if (n <= 0)
		return 0;
	if (i >= n - 1)
		return v[n - 1];
	return v[i] + (h - i) * (v[i + 1] - v[i]);
}

/* Cumulative counts: cum[u] = splits with statistic <= u, u = 0..m*n. */
static double *u_counts(int m, int n)
{
	static double *cum;
	static int cm, cn;
	int top = m * n, i, k;
	double *c;

	if (cum && cm == m && cn == n)
		return cum;
	c = xrealloc(cum, top + 1, sizeof(*c));
	memset(c, 0, (top + 1) * sizeof(*c));
	c[0] = 1;
	for (i = 1; i <= m; i++) {
		for (k = top; k >= n + i; k--)	/* times (1 - q^(n+i)) */
			c[k] -= c[k - n - i];
		for (k = i; k <= top; k++)	/* divided by (1 - q^i) */
			c[k] += c[k - i];
	}
	for (k = 1; k <= top; k++)
		c[k] += c[k - 1];
	cum = c;
	cm = m;
	cn = n;
	return cum;
}

static double exact_p(int m, int n, double u)
{
	double *cum = u_counts(m, n), lo = fmin(u, (double)m * n - u), p;
	int top = m * n;

	p = 2 * cum[lround(lo)] / cum[top];	/* U is whole without ties */
	return p > 1 ? 1 : p;
}

double bg_mw_min_p(int m, int n)
{
	if (m < 1 || n < 1)
		return 1;
	if (m > MW_EXACT_MAX || n > MW_EXACT_MAX)
		return 0;
	return exact_p(m, n, 0);
}

struct ranked {
	double v;
	int side;
};

static int cmp_ranked(const void *pa, const void *pb)
{
	return cmp_double(&((const struct ranked *)pa)->v,
			  &((const struct ranked *)pb)->v);
}

/*
 * Two-sided p-value of the Mann-Whitney U test of a[0..m) against
 * b[0..n); 1 when either side is empty.  *exact tells how it was got.
 */
double bg_mann_whitney(const double *a, int m, const double *b, int n,
		       bool *exact)
{
	struct ranked *r;
	double ra = 0, ties = 0, u, mu, var, z;
	int i, j, k, t, len = m + n;

	*exact = false;
	if (m < 1 || n < 1)
		return 1;
	r = xcalloc(len, sizeof(*r));
	for (i = 0; i < m; i++)
		r[i] = (struct ranked){ a[i], 0 };
	for (i = 0; i < n; i++)
		r[m + i] = (struct ranked){ b[i], 1 };
	qsort(r, len, sizeof(*r), cmp_ranked);
	for (i = 0; i < len; i = j) {
		for (j = i; j < len && r[j].v == r[i].v; j++)
			;
		t = j - i;
		ties += (double)t * t * t - t;
		for (k = i; k < j; k++)	/* the midrank of ranks i+1..j */
			if (!r[k].side)
				ra += (i + 1 + j) / 2.0;
	}
	free(r);
	u = ra - (double)m * (m + 1) / 2;
	if (!ties && m <= MW_EXACT_MAX && n <= MW_EXACT_MAX) {
		*exact = true;
		return exact_p(m, n, u);
	}
	mu = (double)m * n / 2;
	var = (double)m * n / 12 * ((len + 1) - ties / ((double)len * (len - 1)));
	if (var <= 0)
		return 1;
	z = (fabs(u - mu) - 0.5) / sqrt(var);
	return z <= 0 ? 1 : erfc(z / M_SQRT2);
}
