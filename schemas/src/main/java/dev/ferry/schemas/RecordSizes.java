package dev.ferry.schemas;

import dev.ferry.schemas.avro.Attempt;
import dev.ferry.schemas.avro.ErrorInfo;
import dev.ferry.schemas.avro.StepRecord;

/**
 * How big the records that carry step history may grow, defined once for the orchestrator (pages of
 * an activation) and the workers (reports). Sizes are estimated in characters, which is cheap;
 * UTF-8 needs at most three bytes per character, and the bounds below keep even that worst case
 * under {@link Topics#MAX_MESSAGE_BYTES}: a record holds at most the params ({@link
 * Limits#MAX_PAYLOAD_BYTES}) and either entries of up to {@link #PAGE_CHARS} together or a single
 * entry of up to {@link #MAX_ENTRY_CHARS}.
 */
public final class RecordSizes {
  /** Step entries are batched into one record up to this many characters. */
  public static final int PAGE_CHARS = 1024 * 1024;

  /** The largest single step entry Ferry stores and ships; a larger one fails its instance. */
  public static final int MAX_ENTRY_CHARS = 3 * 1024 * 1024;

  /** Error messages are cut to this many characters where they are recorded. */
  public static final int MAX_ERROR_MESSAGE_CHARS = 8 * 1024;

  /** Fixed fields of an entry, roughly, so many tiny entries still fill a page. */
  private static final int ENTRY_OVERHEAD = 64;

  private RecordSizes() {}

  /** Estimated size of the entry in characters. */
  public static long estimate(StepRecord step) {
    long size = ENTRY_OVERHEAD + length(step.getName());
    size += length(step.getOutput()) + length(step.getOutputType()) + length(step.getEventType());
    size += estimate(step.getError());
    for (Attempt attempt : step.getAttempts()) {
      size += 32 + estimate(attempt.getError());
    }
    return size;
  }

  /** Whether the entry is small enough to be stored and shipped. */
  public static boolean fits(StepRecord step) {
    return estimate(step) <= MAX_ENTRY_CHARS;
  }

  /** The message of a refusal for an entry that does not fit. */
  public static String tooLarge(StepRecord step) {
    return "the recorded entry of "
        + StepKinds.name(step.getKind())
        + " \""
        + step.getName()
        + "\" is about "
        + estimate(step)
        + " characters, more than the "
        + MAX_ENTRY_CHARS
        + " a history entry may have";
  }

  /** The message cut to {@link #MAX_ERROR_MESSAGE_CHARS}, saying so. */
  public static String cutMessage(String message) {
    if (message == null || message.length() <= MAX_ERROR_MESSAGE_CHARS) {
      return message;
    }
    return message.substring(0, MAX_ERROR_MESSAGE_CHARS) + "… (cut at 8 KiB)";
  }

  private static long estimate(ErrorInfo error) {
    return error == null ? 0 : length(error.getName()) + length(error.getMessage());
  }

  private static long length(CharSequence text) {
    return text == null ? 0 : text.length();
  }
}
