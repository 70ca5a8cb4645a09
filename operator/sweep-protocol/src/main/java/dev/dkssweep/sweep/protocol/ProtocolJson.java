package dev.dkssweep.sweep.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one JSON mapping of the protocol: unknown fields are errors, and a parse error names the
 * field path ({@code model.depth}) like a validation error does. Missing fields are null (or 0 for
 * numbers); {@link TrialSpecValidator} says which of them are required.
 */
public final class ProtocolJson {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES);

  private ProtocolJson() {}

  /** A copy of the configured mapper, for callers that need to customise it. */
  public static ObjectMapper mapper() {
    return MAPPER.copy();
  }

  /**
   * Parses and validates a trial spec.
   *
   * @throws InvalidSpecException naming every field at fault
   */
  public static TrialSpec readTrialSpec(String json) {
    TrialSpec spec = read(json, TrialSpec.class);
    List<SpecViolation> violations = TrialSpecValidator.validate(spec);
    if (!violations.isEmpty()) {
      throw new InvalidSpecException(violations);
    }
    return spec;
  }

  /** Parses a protocol record; malformed input is an {@link InvalidSpecException}. */
  public static <T> T read(String json, Class<T> type) {
    refuseNul(json);
    try {
      T value = MAPPER.readValue(json, type);
      if (value == null) {
        throw new InvalidSpecException(List.of(new SpecViolation("$", "empty document")));
      }
      return value;
    } catch (JsonMappingException e) {
      throw new InvalidSpecException(List.of(violation(e)));
    } catch (JsonProcessingException e) {
      throw new InvalidSpecException(
          List.of(new SpecViolation("$", "not valid JSON: " + e.getOriginalMessage())));
    }
  }

  /** A document with U+0000 in a string cannot be stored: refused, naming the field. */
  private static void refuseNul(String json) {
    if (json == null || (json.indexOf('\0') < 0 && !json.contains("\\u0000"))) {
      return;
    }
    Optional<String> at;
    try {
      at = NulCharacters.find(MAPPER.readTree(json));
    } catch (JsonProcessingException e) {
      return; // the typed parse says what is wrong
    }
    if (at.isPresent()) {
      throw new InvalidSpecException(List.of(NulCharacters.violation(at.get())));
    }
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  private static SpecViolation violation(JsonMappingException e) {
    String path =
        e.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining("."))
            .replace(".[", "[");
    if (e instanceof UnrecognizedPropertyException u) {
      return new SpecViolation(
          path.isEmpty() ? "$" : path,
          "unknown field; known fields here: " + u.getKnownPropertyIds());
    }
    Throwable cause = e.getCause();
    String message =
        cause instanceof IllegalArgumentException && cause.getMessage() != null
            ? cause.getMessage()
            : e.getOriginalMessage();
    return new SpecViolation(path.isEmpty() ? "$" : path, message);
  }
}
