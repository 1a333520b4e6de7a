# A runaway that catches its SliceExpired and makes garbage (so that the
# heap is collected) before it lets it go: the traceback the exception
# carries survives the collection, and the crash report prints it whole.
async def runaway():
    try:
        while True:
            pass
    except BaseException:
        junk = [[i] for i in range(200)]
        raise


async def main():
    pid, ref = runtime.spawn_monitor(runaway)
    reason = await down_of(pid, ref)
    report = [text for level, text in logger.recent() if "CRASH REPORT" in text]
    whole = bool(report) and "SliceExpired" in report[-1] and "line " in report[-1]
    return (reason, whole)


probe("cut_traceback", main)
