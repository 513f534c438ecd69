package dev.keystore.operator.plan;

import dev.keystore.operator.api.v1alpha1.Patterns;
import dev.keystore.operator.api.v1alpha1.RenewalSpec;
import dev.keystore.operator.api.v1alpha1.RenewalWindow;
import dev.keystore.operator.api.v1alpha1.Weekday;
import java.security.cert.X509Certificate;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code spec.renewal.windows}: weekly maintenance windows in a time zone, when due renewals,
 * rotations and CA replacement steps may happen. A window starts on each of its days at
 * {@code start} local time and ends at {@code end} the same day, or the next day when end is
 * earlier (it crosses midnight). Local times are resolved with java.time's zone rules: on a DST
 * change a start in the gap moves forward by the gap, a time in the overlap takes the earlier offset.
 * No windows: always open.
 */
public final class RenewalWindows {
    public static final RenewalWindows NONE = new RenewalWindows(List.of());
    /** The least margin before notAfter a waiting renewal may use up. */
    static final Duration MIN_SAFETY = Duration.ofHours(24);
    /** Days looked at around now: a window starts at the latest 7 days on, and began at the earliest a day ago. */
    private static final int DAYS_AHEAD = 8;

    public record Window(Set<DayOfWeek> days, LocalTime start, LocalTime end, ZoneId zone) {
        public Window {
            days = Set.copyOf(days);
        }

        /** Whether the window ends the day after it starts. */
        boolean crossesMidnight() {
            return end.isBefore(start);
        }

        /** The window that starts on {@code date}, if it starts on that date's day of week: [start, end). */
        Optional<Instant[]> on(LocalDate date) {
            if (!days.contains(date.getDayOfWeek())) {
                return Optional.empty();
            }
            Instant from = ZonedDateTime.of(date, start, zone).toInstant();
            Instant to = ZonedDateTime.of(crossesMidnight() ? date.plusDays(1) : date, end, zone).toInstant();
            // a window lying wholly in a DST gap is empty that day
            return to.isAfter(from) ? Optional.of(new Instant[] {from, to}) : Optional.empty();
        }
    }

    private final List<Window> windows;

    public RenewalWindows(List<Window> windows) {
        this.windows = List.copyOf(windows);
    }

    public List<Window> windows() {
        return windows;
    }

    /** Whether renewals are restricted at all. */
    public boolean isSet() {
        return !windows.isEmpty();
    }

    /** {@code spec.renewal} checked: a bad time is InvalidSpec, a time zone the JDK does not know BadInput. */
    public static RenewalWindows of(RenewalSpec spec) throws Problem.Raised {
        if (spec == null || spec.windows == null || spec.windows.isEmpty()) {
            return NONE;
        }
        List<Window> windows = new ArrayList<>();
        for (int i = 0; i < spec.windows.size(); i++) {
            String field = "spec.renewal.windows[" + i + "]";
            RenewalWindow w = spec.windows.get(i);
            if (w == null) {
                throw Problem.invalidSpec(field, "is empty").raise();
            }
            if (w.days == null || w.days.isEmpty() || w.days.stream().anyMatch(java.util.Objects::isNull)) {
                throw Problem.invalidSpec(field + ".days", "needs at least one of Mon, Tue, Wed, Thu, Fri, Sat, Sun").raise();
            }
            Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
            for (Weekday day : w.days) {
                days.add(DayOfWeek.of(day.ordinal() + 1));
            }
            LocalTime start = time(field + ".start", w.start);
            LocalTime end = time(field + ".end", w.end);
            if (start.equals(end)) {
                throw Problem.invalidSpec(field + ".end", "equals start (" + w.start + "): the window would be empty").raise();
            }
            windows.add(new Window(days, start, end, zone(field + ".timeZone", w.timeZone)));
        }
        return new RenewalWindows(windows);
    }

    private static LocalTime time(String field, String text) throws Problem.Raised {
        if (text == null || !text.matches(Patterns.TIME_OF_DAY)) {
            throw Problem.invalidSpec(field, "'" + text + "' is not a time of day HH:MM (00:00 to 23:59)").raise();
        }
        try {
            return LocalTime.parse(text);
        } catch (DateTimeParseException e) {
            throw Problem.invalidSpec(field, "'" + text + "' is not a time of day HH:MM (00:00 to 23:59)").raise();
        }
    }

    private static ZoneId zone(String field, String text) throws Problem.Raised {
        if (text == null || text.isBlank()) {
            return ZoneOffset.UTC;
        }
        // region names only (Europe/Berlin, UTC): no offsets such as +02:00, which know no DST
        if (text.length() > Patterns.MAX_TIME_ZONE || !text.matches(Patterns.TIME_ZONE)) {
            throw new Problem(Problem.BAD_INPUT, field + ": '" + text + "' is not an IANA time zone name such as Europe/Berlin")
                .raise();
        }
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw new Problem(Problem.BAD_INPUT, field + ": '" + text + "' is not a time zone this operator knows"
                + " (IANA names such as Europe/Berlin or UTC)").raise();
        }
    }

    /** The window open at {@code now}, as [start, end), if any (the one that started first). */
    public Optional<Instant[]> openAt(Instant now) {
        Instant[] found = null;
        for (Window w : windows) {
            LocalDate today = now.atZone(w.zone()).toLocalDate();
            for (LocalDate d = today.minusDays(1); !d.isAfter(today); d = d.plusDays(1)) {
                Optional<Instant[]> interval = w.on(d);
                if (interval.isPresent() && !now.isBefore(interval.get()[0]) && now.isBefore(interval.get()[1])
                    && (found == null || interval.get()[0].isBefore(found[0]))) {
                    found = interval.get();
                }
            }
        }
        return Optional.ofNullable(found);
    }

    /** Whether a due renewal may happen at {@code now}: no windows, or one is open. */
    public boolean isOpen(Instant now) {
        return !isSet() || openAt(now).isPresent();
    }

    /** The first window start after {@code now} (strictly), if any window is set. */
    public Optional<Instant> nextStart(Instant now) {
        Instant best = null;
        for (Window w : windows) {
            LocalDate today = now.atZone(w.zone()).toLocalDate();
            for (LocalDate d = today.minusDays(1); !d.isAfter(today.plusDays(DAYS_AHEAD)); d = d.plusDays(1)) {
                Optional<Instant[]> interval = w.on(d);
                if (interval.isPresent() && interval.get()[0].isAfter(now)
                    && (best == null || interval.get()[0].isBefore(best))) {
                    best = interval.get()[0];
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** What {@code status.nextRenewalWindow} shows: the start of the window open now, else of the next one. */
    public Optional<Instant> shown(Instant now) {
        return openAt(now).map(i -> i[0]).or(() -> nextStart(now));
    }

    /** When what {@link #shown} or {@link #isOpen} says changes next: the open window's end or the next start. */
    public Optional<Instant> nextChange(Instant now) {
        Optional<Instant> next = nextStart(now);
        Optional<Instant> end = openAt(now).map(i -> i[1]);
        if (end.isPresent() && (next.isEmpty() || end.get().isBefore(next.get()))) {
            return end;
        }
        return next;
    }

    /** notAfter - max(renewBefore / 2, 24h): a due renewal waits for a window only while that is not passed. */
    public static Instant safetyPoint(X509Certificate cert, Duration renewBefore) {
        Duration half = renewBefore.dividedBy(2);
        return cert.getNotAfter().toInstant().minus(half.compareTo(MIN_SAFETY) > 0 ? half : MIN_SAFETY);
    }

    /** What becomes of a due step at {@code now}. */
    public sealed interface Gate {
        /** Go ahead: no windows, or one is open. */
        record Proceed() implements Gate {
        }

        /** Wait until the next window starts. */
        record Wait(Instant until) implements Gate {
        }

        /** Go ahead outside the windows: the next one starts after the safety point (or there is none). */
        record Override(Instant nextWindow, Instant safetyPoint) implements Gate {
            /** The reason for an Event, naming both times. */
            public String why() {
                return (nextWindow == null ? "no renewal window comes" : "the next renewal window starts at " + nextWindow)
                    + ", after the safety point " + safetyPoint + " (notAfter - max(renewBefore/2, 24h))";
            }
        }
    }

    /** Whether a step due now may happen now, given the point it must not wait past. */
    public Gate gate(Instant now, Instant safetyPoint) {
        if (isOpen(now)) {
            return new Gate.Proceed();
        }
        Optional<Instant> next = nextStart(now);
        if (next.isPresent() && !next.get().isAfter(safetyPoint)) {
            return new Gate.Wait(next.get());
        }
        return new Gate.Override(next.orElse(null), safetyPoint);
    }
}
