#!/usr/bin/env python3
"""Where the gateway's CPU goes: reads `perf script -F comm,tid,ip,sym` output (stdin) and puts each sample in the
first part of the gateway its stack passes through (the order below), else under its outermost frame."""
import collections
import re
import sys

PARTS = [
    ("event writer", "ProvenanceWriter"),
    ("summary projection", "AsyncProjectionRunner"),
    ("live zone", "LiveCompressor+<ProcessAsync>"),
    ("recording the request", "ProxyHandler::Record"),
    ("usage from the response", "ResponseTee"),
    ("usage from the response", "UsageAccumulator"),
    ("reading the body", "ReadBodyAsync"),
    ("tenant", "TenantResolver"),
    ("request transform", "GatewayTransformer"),
    ("YARP and HttpClient", "HttpForwarder"),
    ("YARP and HttpClient", "HttpConnection"),
    ("rest of the handler", "ProxyHandler"),
    ("Kestrel", "Kestrel"),
    ("GC", "WKS::gc"),
    ("timers", "TimerQueue"),
    ("socket engine", "SocketAsyncEngine"),
    ("thread pool", "ThreadPoolWorkQueue"),
    ("JIT", "clrjit"),
]


def samples(lines):
    stack = []
    for line in lines:
        if not line.startswith((" ", "\t")):
            if stack:
                yield stack
            stack = []
            continue
        fields = line.strip().split(" ", 1)
        stack.append(fields[1] if len(fields) > 1 else fields[0])
    if stack:
        yield stack


counts = collections.Counter()
total = 0
for stack in samples(sys.stdin):
    total += 1
    joined = " ".join(stack)
    for name, key in PARTS:
        if key in joined:
            counts[name] += 1
            break
    else:
        counts["outermost frame " + re.sub(r"\(.*", "", stack[-1])[:48]] += 1

print(f"{total} samples")
for name, n in counts.most_common(24):
    print(f"{100.0 * n / max(total, 1):5.1f}%  {name}")
