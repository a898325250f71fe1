"""Runs one example file and reports which source line printed what.

Every write to stdout becomes a JSON line {"line": N, "text": "..."} where N is the innermost
line of the example file on the call stack, so the test can compare each `# -> value` marker
with what that very line printed. Child processes forked by the example inherit the wrapper.
"""
import json
import runpy
import sys

path = sys.argv[1]
real = sys.stdout


class LineTaggingStdout:
    encoding = "utf-8"

    def write(self, text):
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename != path:
            frame = frame.f_back
        line = frame.f_lineno if frame is not None else 0
        real.write(json.dumps({"line": line, "text": text}) + "\n")
        real.flush()
        return len(text)

    def flush(self):
        real.flush()

    def isatty(self):
        return False


sys.stdout = LineTaggingStdout()
runpy.run_path(path, run_name="__main__")
