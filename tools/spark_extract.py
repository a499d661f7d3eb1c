"""spark-submit entry point: `spark-submit tools/spark_extract.py INPUT --engine spark -o OUT ...`.

spark-submit runs a Python file, not a console script; this one hands its arguments to
`thaievents extract` (README, "Batch extraction on Spark").
"""

import sys

from thaievents.cli import run

if __name__ == "__main__":
    sys.argv = ["thaievents", "extract", *sys.argv[1:]]
    run()
