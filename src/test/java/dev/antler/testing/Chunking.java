package dev.antler.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Ways to cut an input into chunks, and a feeder that reuses (and scribbles over) its buffer. */
public final class Chunking {

  /** Receives one chunk, like the feed method of a push parser. */
  public interface Feed {
    void feed(byte[] data, int offset, int length);
  }

  private Chunking() {}

  /**
   * Cut points for: the whole input, every 2-chunk split, 1-byte chunks and {@code randomRounds}
   * random chunkings from a fixed seed. Each element lists the offsets where a new chunk starts.
   */
  public static List<int[]> all(int length, int randomRounds) {
    List<int[]> cuts = new ArrayList<>();
    cuts.add(new int[0]);
    for (int split = 1; split < length; split++) {
      cuts.add(new int[] {split});
    }
    int[] single = new int[Math.max(0, length - 1)];
    Arrays.setAll(single, i -> i + 1);
    cuts.add(single);
    Random random = new Random(42);
    for (int round = 0; round < randomRounds; round++) {
      cuts.add(random(length, random));
    }
    return cuts;
  }

  private static int[] random(int length, Random random) {
    List<Integer> points = new ArrayList<>();
    int maxChunk = 1 + random.nextInt(64);
    for (int at = 1 + random.nextInt(maxChunk); at < length; at += 1 + random.nextInt(maxChunk)) {
      points.add(at);
    }
    return points.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Feeds {@code input} cut at {@code cuts}, each chunk at a random offset of a shared buffer that is
   * overwritten right after the call, so a consumer that keeps a reference to it is caught.
   */
  public static void feed(byte[] input, int[] cuts, Feed feed) {
    byte[] buffer = new byte[input.length + 8];
    int start = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int end = i < cuts.length ? cuts[i] : input.length;
      int at = (start * 7) % 8;
      System.arraycopy(input, start, buffer, at, end - start);
      feed.feed(buffer, at, end - start);
      Arrays.fill(buffer, at, at + end - start, (byte) '#');
      start = end;
    }
  }
}
