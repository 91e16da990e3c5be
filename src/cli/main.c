/* main.c - the mpsim command line. */
#include "config.h"
#include <stdio.h>
int main(void)
{
	puts("mpsim");
	return 0;
}
