"""Reads every cell of a workbook with openpyxl in read-only mode, as caremap's benchmark
compares against; prints the seconds taken, the peak resident memory and the cells read."""
import sys
import time

import openpyxl

start = time.perf_counter()
workbook = openpyxl.load_workbook(sys.argv[1], read_only=True)
cells = 0
for sheet in workbook.worksheets:
    for row in sheet.iter_rows(values_only=True):
        cells += sum(1 for value in row if value is not None)
workbook.close()
seconds = time.perf_counter() - start
# VmHWM, not ru_maxrss: the latter keeps what this process held as a fork of the benchmark
# before it became Python.
with open("/proc/self/status") as status:
    peak_mib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
print(f"{seconds:.2f} s, peak resident memory {peak_mib:.1f} MiB (whole process), {cells} cells")
