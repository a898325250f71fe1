/**
 * Names `builtins` provides in CPython 3.11-3.14 (non-underscore functions, types and exceptions;
 * constants such as None are keywords and never reach name resolution). Kept as data so that the
 * engine needs no interpreter.
 */
export const BUILTIN_NAMES: ReadonlySet<string> = new Set(
  (
    "ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup BlockingIOError " +
    "BrokenPipeError BufferError BytesWarning ChildProcessError ConnectionAbortedError ConnectionError " +
    "ConnectionRefusedError ConnectionResetError DeprecationWarning EOFError EncodingWarning " +
    "EnvironmentError Exception ExceptionGroup FileExistsError FileNotFoundError FloatingPointError " +
    "FutureWarning GeneratorExit IOError ImportError ImportWarning IndentationError IndexError " +
    "InterruptedError IsADirectoryError KeyError KeyboardInterrupt LookupError MemoryError " +
    "ModuleNotFoundError NameError NotADirectoryError NotImplemented NotImplementedError OSError " +
    "OverflowError PendingDeprecationWarning PermissionError ProcessLookupError PythonFinalizationError " +
    "RecursionError ReferenceError ResourceWarning RuntimeError RuntimeWarning StopAsyncIteration " +
    "StopIteration SyntaxError SyntaxWarning SystemError SystemExit TabError TimeoutError TypeError " +
    "UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError UnicodeTranslateError " +
    "UnicodeWarning UserWarning ValueError Warning ZeroDivisionError abs aiter all anext any ascii bin " +
    "bool breakpoint bytearray bytes callable chr classmethod compile complex copyright credits delattr " +
    "dict dir divmod enumerate eval exec exit filter float format frozenset getattr globals hasattr hash " +
    "help hex id input int isinstance issubclass iter len license list locals map max memoryview min " +
    "next object oct open ord pow print property quit range repr reversed round set setattr slice " +
    "sorted staticmethod str sum super tuple type vars zip"
  ).split(" "),
);
