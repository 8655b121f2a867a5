#!/usr/bin/python3
"""Checks an exported ONNX graph with the reference checker (full check: strict shape
inference) and prints its opsets, one `domain version` per line ("" shown as ai.onnx).

    /usr/bin/python3 check_model.py MODEL.onnx

Exit code 0 when valid; 1 with the checker's message on stderr otherwise.
"""
import sys

import onnx


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: check_model.py MODEL.onnx", file=sys.stderr)
        return 2
    model = onnx.load(sys.argv[1])
    try:
        onnx.checker.check_model(model, full_check=True)
    except Exception as error:  # the checker's own exception types vary by version
        print(f"check_model.py: {error}", file=sys.stderr)
        return 1
    for opset in model.opset_import:
        print(f"{opset.domain or 'ai.onnx'} {opset.version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
