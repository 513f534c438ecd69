package dev.keystore.operator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

    @Test
    void parsesTheKubernetesForms() {
        assertEquals(Duration.ofHours(8760), GoDuration.parse("8760h"));
        assertEquals(Duration.ofMinutes(90), GoDuration.parse("90m"));
        assertEquals(Duration.ofHours(720).plusMinutes(30), GoDuration.parse("720h30m"));
        assertEquals(Duration.ofMinutes(90), GoDuration.parse("1.5h"));
        assertEquals(Duration.ofSeconds(45), GoDuration.parse("45s"));
        assertEquals(Duration.ofMillis(500), GoDuration.parse("500ms"));
        assertEquals(Duration.ofHours(1).plusMinutes(2).plusSeconds(3).plusMillis(4), GoDuration.parse("1h2m3s4ms"));
        assertEquals(Duration.ofNanos(7_000), GoDuration.parse("7us"));
        assertEquals(Duration.ofNanos(7_000), GoDuration.parse("7µs"));
        assertEquals(Duration.ofNanos(9), GoDuration.parse("9ns"));
        assertEquals(Duration.ofSeconds(1).plusMillis(500), GoDuration.parse("1.5s"));
        assertEquals(Duration.ZERO, GoDuration.parse("0s"));
        assertEquals(Duration.ofHours(87600), GoDuration.parse("87600h"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "h", "10", "1d", "1y", "1h 30m", " 1h", "1h ", "1h30", "abc", "1.5",
        "-1h", "1H", "1hh", "1h-30m", "1,5h", "h1"})
    void refusesOtherText(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(text));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }

    @Test
    void refusesNull() {
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(null));
    }

    @Test
    void formatsInTheGoSpelling() {
        assertEquals("8760h", GoDuration.format(Duration.ofHours(8760)));
        assertEquals("1h30m", GoDuration.format(Duration.ofMinutes(90)));
        assertEquals("720h30m", GoDuration.format(Duration.ofHours(720).plusMinutes(30)));
        assertEquals("2h5s", GoDuration.format(Duration.ofHours(2).plusSeconds(5)));
        assertEquals("45s", GoDuration.format(Duration.ofSeconds(45)));
        assertEquals("1m", GoDuration.format(Duration.ofSeconds(60)));
        assertEquals("0s", GoDuration.format(Duration.ZERO));
        assertEquals("2920h", GoDuration.format(Duration.ofHours(8760).dividedBy(3)));
    }

    @Test
    void formatThenParseIsTheSameDuration() {
        for (Duration d : new Duration[] {Duration.ofHours(8760), Duration.ofMinutes(90), Duration.ofSeconds(3661),
            Duration.ofHours(87600), Duration.ofSeconds(1)}) {
            assertEquals(d, GoDuration.parse(GoDuration.format(d)), d.toString());
        }
    }
}
