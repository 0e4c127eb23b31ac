/* The program the autotune example tunes: three loop kernels (a tiled matrix multiply, a 2-D
 * stencil, a polynomial over an array) whose speed and code size depend on the optimisation
 * flags. BLOCK (-DBLOCK=...) is the tile edge of the multiply. Prints a checksum so that the
 * work cannot be optimised away. */
#include <stdio.h>

#ifndef N
#define N 320
#endif
#ifndef BLOCK
#define BLOCK 32
#endif
#define M 512
#define STEPS 40
#define LEN (1 << 16)

static double a[N][N], b[N][N], c[N][N];
static float grid[2][M][M];
static float xs[LEN];

static void multiply(void) {
  for (int ii = 0; ii < N; ii += BLOCK)
    for (int kk = 0; kk < N; kk += BLOCK)
      for (int jj = 0; jj < N; jj += BLOCK)
        for (int i = ii; i < ii + BLOCK && i < N; i++)
          for (int k = kk; k < kk + BLOCK && k < N; k++) {
            double aik = a[i][k];
            for (int j = jj; j < jj + BLOCK && j < N; j++) c[i][j] += aik * b[k][j];
          }
}

static void stencil(void) {
  for (int s = 0; s < STEPS; s++) {
    float (*from)[M] = grid[s % 2], (*to)[M] = grid[(s + 1) % 2];
    for (int i = 1; i < M - 1; i++)
      for (int j = 1; j < M - 1; j++)
        to[i][j] = 0.2f * (from[i][j] + from[i - 1][j] + from[i + 1][j] + from[i][j - 1] +
                           from[i][j + 1]);
  }
}

static double polynomial(void) {
  double sum = 0.0;
  for (int r = 0; r < 24; r++)
    for (int i = 0; i < LEN; i++) {
      float x = xs[i];
      sum += ((((0.5f * x + 1.5f) * x - 2.0f) * x + 0.25f) * x - 1.0f) * x + 3.0f;
    }
  return sum;
}

int main(void) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      a[i][j] = (double)((i * 7 + j * 3) % 17) / 17.0;
      b[i][j] = (double)((i * 5 + j * 11) % 13) / 13.0;
    }
  for (int i = 0; i < M; i++)
    for (int j = 0; j < M; j++) grid[0][i][j] = (float)((i * j) % 10);
  for (int i = 0; i < LEN; i++) xs[i] = (float)(i % 1000) / 1000.0f;
  multiply();
  stencil();
  double sum = polynomial();
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) sum += c[i][j];
  for (int i = 0; i < M; i++) sum += grid[STEPS % 2][i][i];
  printf("N=%d BLOCK=%d checksum=%.6f\n", N, BLOCK, sum);
  return 0;
}
