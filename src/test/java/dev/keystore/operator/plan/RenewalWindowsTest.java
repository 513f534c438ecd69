package dev.keystore.operator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keystore.operator.api.v1alpha1.RenewalSpec;
import dev.keystore.operator.api.v1alpha1.RenewalWindow;
import dev.keystore.operator.api.v1alpha1.Weekday;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** spec.renewal.windows as pure time arithmetic: open or not, next start, DST days, midnight crossings, bad input. */
class RenewalWindowsTest {

    static RenewalWindow window(String days, String start, String end, String zone) {
        RenewalWindow w = new RenewalWindow();
        w.days = Arrays.stream(days.split("\\+")).map(Weekday::valueOf).toList();
        w.start = start;
        w.end = end;
        w.timeZone = zone;
        return w;
    }

    static RenewalWindows of(RenewalWindow... windows) throws Problem.Raised {
        RenewalSpec spec = new RenewalSpec();
        spec.windows = List.of(windows);
        return RenewalWindows.of(spec);
    }

    /**
     * One window, a moment, whether it is open then, and the next start after it. 2026-03-29 is the
     * day Europe/Berlin springs forward (02:00 CET -> 03:00 CEST), 2026-10-25 the day it falls back
     * (03:00 CEST -> 02:00 CET); 2026-03-07 is a Saturday.
     */
    @ParameterizedTest(name = "{0} {1}-{2} {3} at {4}: open={5}, next={6}")
    @CsvSource(delimiter = '|', textBlock = """
        # days   | start | end   | zone          | now                  | open  | next start
        Sat+Sun  | 02:00 | 05:00 | Europe/Berlin | 2026-03-07T00:59:59Z | false | 2026-03-07T01:00:00Z
        Sat+Sun  | 02:00 | 05:00 | Europe/Berlin | 2026-03-07T01:00:00Z | true  | 2026-03-08T01:00:00Z
        Sat+Sun  | 02:00 | 05:00 | Europe/Berlin | 2026-03-07T03:59:59Z | true  | 2026-03-08T01:00:00Z
        Sat+Sun  | 02:00 | 05:00 | Europe/Berlin | 2026-03-07T04:00:00Z | false | 2026-03-08T01:00:00Z
        Sat+Sun  | 02:00 | 05:00 | Europe/Berlin | 2026-03-09T12:00:00Z | false | 2026-03-14T01:00:00Z
        # summer time: the same local window is an hour earlier in UTC
        Sat      | 02:00 | 05:00 | Europe/Berlin | 2026-06-06T00:30:00Z | true  | 2026-06-13T00:00:00Z
        # spring forward: 01:00-04:00 local lasts two hours, 00:00Z-02:00Z
        Sun      | 01:00 | 04:00 | Europe/Berlin | 2026-03-28T23:59:59Z | false | 2026-03-29T00:00:00Z
        Sun      | 01:00 | 04:00 | Europe/Berlin | 2026-03-29T00:00:00Z | true  | 2026-04-04T23:00:00Z
        Sun      | 01:00 | 04:00 | Europe/Berlin | 2026-03-29T01:59:59Z | true  | 2026-04-04T23:00:00Z
        Sun      | 01:00 | 04:00 | Europe/Berlin | 2026-03-29T02:00:00Z | false | 2026-04-04T23:00:00Z
        # a start in the gap (02:30 does not exist that night) moves forward by the gap: 03:30 CEST
        Sun      | 02:30 | 04:00 | Europe/Berlin | 2026-03-29T01:00:00Z | false | 2026-03-29T01:30:00Z
        # fall back: 02:30 local happens twice; the window starts at the first (CEST), ends 03:30 CET
        Sun      | 02:30 | 03:30 | Europe/Berlin | 2026-10-25T00:29:59Z | false | 2026-10-25T00:30:00Z
        Sun      | 02:30 | 03:30 | Europe/Berlin | 2026-10-25T02:29:59Z | true  | 2026-11-01T01:30:00Z
        Sun      | 02:30 | 03:30 | Europe/Berlin | 2026-10-25T02:30:00Z | false | 2026-11-01T01:30:00Z
        # crossing midnight: Friday 22:00 to Saturday 02:00, the day named is the day it starts
        Fri      | 22:00 | 02:00 | UTC           | 2026-03-07T01:59:00Z | true  | 2026-03-13T22:00:00Z
        Fri      | 22:00 | 02:00 | UTC           | 2026-03-07T02:00:00Z | false | 2026-03-13T22:00:00Z
        Fri      | 22:00 | 02:00 | UTC           | 2026-03-06T21:59:00Z | false | 2026-03-06T22:00:00Z
        Sat      | 22:00 | 02:00 | UTC           | 2026-03-06T23:00:00Z | false | 2026-03-07T22:00:00Z
        # New Year's Eve to a Friday: 2026-12-31 is a Thursday
        Thu      | 23:30 | 00:30 | UTC           | 2027-01-01T00:15:00Z | true  | 2027-01-07T23:30:00Z
        # no zone: UTC
        Mon      | 00:00 | 23:59 |               | 2026-03-09T23:59:30Z | false | 2026-03-16T00:00:00Z
        """)
    void aWindowIsOpenBetweenItsStartAndEndAndTheNextStartIsFound(String days, String start, String end, String zone,
                                                                 String now, boolean open, String next) throws Exception {
        RenewalWindows windows = of(window(days, start, end, zone));
        Instant at = Instant.parse(now);
        assertEquals(open, windows.isOpen(at), "open");
        assertEquals(Optional.of(Instant.parse(next)), windows.nextStart(at), "next start");
        assertEquals(open ? windows.openAt(at).map(w -> w[0]) : windows.nextStart(at), windows.shown(at), "status shows");
    }

    @Test
    void severalWindowsOpenAsOneAndTheEarliestStartComesNext() throws Exception {
        RenewalWindows windows = of(window("Tue", "03:00", "04:00", "America/New_York"), window("Wed", "01:00", "02:00", "UTC"));
        Instant monday = Instant.parse("2026-03-09T12:00:00Z");
        assertEquals(Optional.of(Instant.parse("2026-03-10T07:00:00Z")), windows.nextStart(monday), "New York is UTC-4 in March");
        Instant tuesday = Instant.parse("2026-03-10T07:30:00Z");
        assertTrue(windows.isOpen(tuesday));
        assertEquals(Optional.of(Instant.parse("2026-03-10T08:00:00Z")), windows.nextChange(tuesday), "the open window's end");
        assertEquals(Optional.of(Instant.parse("2026-03-11T01:00:00Z")), windows.nextChange(Instant.parse("2026-03-10T09:00:00Z")));
        assertFalse(RenewalWindows.NONE.isSet());
        assertTrue(RenewalWindows.NONE.isOpen(monday), "no windows: always open");
        assertEquals(Optional.empty(), RenewalWindows.NONE.nextStart(monday));
    }

    @Test
    void aDueStepWaitsUnlessTheNextWindowIsPastTheSafetyPoint() throws Exception {
        RenewalWindows windows = of(window("Sat", "02:00", "05:00", "UTC"));
        Instant monday = Instant.parse("2026-03-09T12:00:00Z");
        Instant saturday = Instant.parse("2026-03-14T02:00:00Z");
        assertEquals(new RenewalWindows.Gate.Wait(saturday), windows.gate(monday, saturday));
        assertEquals(new RenewalWindows.Gate.Wait(saturday), windows.gate(monday, saturday.plusSeconds(86400)));
        RenewalWindows.Gate late = windows.gate(monday, saturday.minusSeconds(1));
        assertInstanceOf(RenewalWindows.Gate.Override.class, late);
        assertTrue(((RenewalWindows.Gate.Override) late).why().contains(saturday.toString()), late.toString());
        assertInstanceOf(RenewalWindows.Gate.Override.class, windows.gate(monday, monday.minusSeconds(1)), "already past");
        assertInstanceOf(RenewalWindows.Gate.Proceed.class, windows.gate(saturday.plusSeconds(60), monday), "open: go ahead");
        assertInstanceOf(RenewalWindows.Gate.Proceed.class, RenewalWindows.NONE.gate(monday, monday));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        timeZone Mars/Olympus_Mons   | Sat | 02:00 | 05:00 | Mars/Olympus_Mons | BadInput    | spec.renewal.windows[0].timeZone
        timeZone with an offset      | Sat | 02:00 | 05:00 | +02:00            | BadInput    | spec.renewal.windows[0].timeZone
        start 24:00                  | Sat | 24:00 | 05:00 | UTC               | InvalidSpec | spec.renewal.windows[0].start
        end 5:00                     | Sat | 02:00 | 5:00  | UTC               | InvalidSpec | spec.renewal.windows[0].end
        an empty window              | Sat | 02:00 | 02:00 | UTC               | InvalidSpec | spec.renewal.windows[0].end
        """)
    void badWindowsAreRefusedNamingTheField(String what, String days, String start, String end, String zone, String reason,
                                            String field) {
        Problem.Raised e = assertThrows(Problem.Raised.class, () -> of(window(days, start, end, zone)));
        assertEquals(reason, e.problem().reason(), what);
        assertTrue(e.problem().message().startsWith(field + ": "), e.problem().message());
    }

    @Test
    void aWindowWithoutDaysIsRefused() {
        RenewalWindow w = window("Sat", "02:00", "05:00", null);
        w.days = List.of();
        Problem.Raised e = assertThrows(Problem.Raised.class, () -> of(w));
        assertEquals(Problem.INVALID_SPEC, e.problem().reason());
        assertTrue(e.problem().message().startsWith("spec.renewal.windows[0].days: "), e.problem().message());
    }
}
