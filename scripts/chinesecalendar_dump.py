"""Writes the working/non-working status of every day 2007-01-01..2026-12-31 according to the PyPI
package `chinesecalendar` — an independent source that the calendar crate is checked against
(crates/calendar/tests/chinesecalendar_crosscheck.rs). Output: one line per day, "YYYY-MM-DD\t1|0"."""
import datetime
import sys

import chinese_calendar

out = open(sys.argv[1], "w", encoding="utf-8")
day = datetime.date(2007, 1, 1)
end = datetime.date(2026, 12, 31)
while day <= end:
    out.write(f"{day.isoformat()}\t{1 if chinese_calendar.is_workday(day) else 0}\n")
    day += datetime.timedelta(days=1)
out.close()
