"""Reads every cell of a workbook with openpyxl in read-only mode, as caremap's benchmark
compares against; prints the seconds taken, the peak resident memory and the cells read."""
import resource
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
peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{seconds:.2f} s, peak resident memory {peak_mib:.1f} MiB (whole process), {cells} cells")
