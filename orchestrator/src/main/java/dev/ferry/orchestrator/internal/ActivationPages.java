package dev.ferry.orchestrator.internal;

import dev.ferry.schemas.RecordSizes;
import dev.ferry.schemas.avro.Activation;
import dev.ferry.schemas.avro.StepRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an activation into pages so that no task record grows with the history: each page holds
 * entries of up to {@link RecordSizes#PAGE_CHARS} together, or one larger entry alone. Only the
 * first page carries the params; the last has {@code lastPage} set.
 */
final class ActivationPages {
  private ActivationPages() {}

  /** The pages of {@code header} (its history is ignored) carrying {@code entries} in order. */
  static List<Activation> of(Activation header, List<StepRecord> entries) {
    List<List<StepRecord>> slices = new ArrayList<>();
    List<StepRecord> slice = new ArrayList<>();
    long size = 0;
    for (StepRecord entry : entries) {
      long entrySize = RecordSizes.estimate(entry);
      if (!slice.isEmpty() && size + entrySize > RecordSizes.PAGE_CHARS) {
        slices.add(slice);
        slice = new ArrayList<>();
        size = 0;
      }
      slice.add(entry);
      size += entrySize;
    }
    slices.add(slice);
    List<Activation> pages = new ArrayList<>(slices.size());
    for (int i = 0; i < slices.size(); i++) {
      Activation.Builder page = Activation.newBuilder(header).setPage(i).setHistory(slices.get(i));
      page.setLastPage(i == slices.size() - 1);
      if (i > 0) {
        page.setParams("");
      }
      pages.add(page.build());
    }
    return pages;
  }
}
