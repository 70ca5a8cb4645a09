package dev.dkssweep.sweep.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one JSON mapping of the protocol: unknown fields are errors, and a parse error names the
 * field path ({@code model.depth}) like a validation error does. Missing fields are null (or 0 for
 * numbers); {@link TrialSpecValidator} says which of them are required. Nothing is converted.
 */
public final class ProtocolJson {

  private static final ObjectMapper MAPPER = strict();

  /**
   * Values are read as written: a {@code ""} where a number belongs, a number or a boolean where
   * text belongs, or a quoted number, is an error naming its field, never a silent 0 or a
   * conversion ({@code NaN} and {@code Infinity} as Jackson writes them stay readable). A missing
   * number is 0; {@link #readStrict} also refuses an explicit {@code null}. Decimal numbers are
   * read with Jackson's fast parser (the same correctly rounded value as {@link
   * Double#parseDouble}; the JDK's parser held a quarter of the ingest endpoint's profile samples
   * on the 17-digit values trainers write).
   */
  private static ObjectMapper strict() {
    return refuseConversions(
            JsonMapper.builder()
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES))
        .build();
  }

  /**
   * Makes a mapper read values as written (the protocol's and the sweep documents' one rule): a
   * quoted number or boolean, a number or a boolean where text belongs, and {@code ""} where a
   * number or a boolean belongs are errors, never converted.
   */
  public static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B refuseConversions(
      B builder) {
    builder
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .withCoercionConfig(
            LogicalType.Textual,
            c ->
                c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    for (LogicalType t :
        new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
      builder.withCoercionConfig(
          t, c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail));
    }
    return builder;
  }

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

  /**
   * Parses a protocol record that arrives from outside (the ingest API): as {@link #read}, and an
   * explicit {@code null} anywhere is an error naming its field (it would be read as 0 or as
   * missing; the trainers never write one).
   */
  public static <T> T readStrict(String json, Class<T> type) {
    T value = read(json, type);
    Optional<String> at = nullAt(json);
    if (at.isPresent()) {
      throw new InvalidSpecException(
          List.of(new SpecViolation(at.get(), "is null; give a value or leave the field out")));
    }
    return value;
  }

  /**
   * The path ({@code points[3].value}, {@code $} for the document itself) of the first explicit
   * {@code null} in a document that {@link #read} has accepted. A pass over its tokens only: no
   * tree is built and no number is parsed.
   */
  static Optional<String> nullAt(String json) {
    try (JsonParser p = MAPPER.createParser(json)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == JsonToken.VALUE_NULL) {
          return Optional.of(path(p.getParsingContext()));
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new InvalidSpecException(List.of(new SpecViolation("$", "not valid JSON")));
    }
  }

  /** A parser position as the field path the validators use. */
  private static String path(JsonStreamContext at) {
    Deque<JsonStreamContext> chain = new ArrayDeque<>();
    for (JsonStreamContext c = at; c != null && !c.inRoot(); c = c.getParent()) {
      chain.push(c);
    }
    StringBuilder path = new StringBuilder();
    for (JsonStreamContext c : chain) {
      if (c.inArray()) {
        path.append('[').append(c.getCurrentIndex()).append(']');
      } else {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(c.getCurrentName());
      }
    }
    return path.length() == 0 ? "$" : path.toString();
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
