#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000000;
  double s = 0;
  for (long k = 1; k <= n; k++) s += 1.0 / ((double)k * k);
  printf("sum of 1/k^2 for k <= %ld: %.12f\n", n, s);
  return 0;
}
