package dev.ferry.schemas;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.UncheckedIOException;

/**
 * The one Jackson mapper for JSON text carried inside Avro records (params, outputs) and read from
 * requests. Parsing is strict, so JSON is refused rather than silently altered: duplicate keys,
 * anything after the value, and strings with unpaired surrogates are errors, and numbers keep every
 * digit ({@code 1e400} stays {@code 1E+400}, not Infinity).
 */
public final class Json {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .findAndRegisterModules()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Parses JSON text; null or blank text is JSON null. */
  public static JsonNode parse(String text) {
    if (text == null || text.isBlank()) {
      return MAPPER.nullNode();
    }
    JsonNode parsed;
    try {
      parsed = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (hasUnpairedSurrogate(text)) {
      throw new IllegalArgumentException(
          "not valid JSON: a string holds an unpaired UTF-16 surrogate (as \\uD800 alone), which"
              + " no UTF-8 text can carry");
    }
    return parsed;
  }

  /**
   * Whether the parsed strings of {@code text} could hold a lone surrogate: either one written as a
   * character, or one written as an escape ({@code \\uD800}) that is not part of a pair.
   */
  private static boolean hasUnpairedSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return true;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return true;
      } else if (c == '\\' && i + 1 < text.length()) {
        if (text.charAt(i + 1) == 'u' && i + 5 < text.length()) {
          char escaped = (char) Integer.parseInt(text.substring(i + 2, i + 6), 16);
          if (Character.isHighSurrogate(escaped)) {
            boolean paired =
                i + 11 < text.length()
                    && text.startsWith("\\u", i + 6)
                    && Character.isLowSurrogate(
                        (char) Integer.parseInt(text.substring(i + 8, i + 12), 16));
            if (!paired) {
              return true;
            }
            i += 11;
            continue;
          }
          if (Character.isLowSurrogate(escaped)) {
            return true;
          }
          i += 5;
        } else {
          i++; // an escaped quote or backslash: skip it
        }
      }
    }
    return false;
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
