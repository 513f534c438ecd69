package dev.keystore.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** A weekly window: on each of {@link #days}, from {@link #start} to {@link #end} local time (crossing midnight when end is earlier). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RenewalWindow {
    @JsonPropertyDescription("Days the window starts on")
    @Required
    @Size(min = 1, max = 7)
    public List<Weekday> days = new ArrayList<>();
    @JsonPropertyDescription("Local start time, HH:MM (24-hour)")
    @Required
    @Pattern(Patterns.TIME_OF_DAY)
    public String start;
    @JsonPropertyDescription("Local end time, HH:MM (24-hour); earlier than start: the window ends the next day")
    @Required
    @Pattern(Patterns.TIME_OF_DAY)
    public String end;
    @JsonPropertyDescription("IANA time zone of start and end, e.g. Europe/Berlin; default UTC")
    @Pattern(Patterns.TIME_ZONE)
    @Size(max = Patterns.MAX_TIME_ZONE)
    public String timeZone;
}
