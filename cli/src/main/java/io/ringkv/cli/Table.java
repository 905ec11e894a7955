package io.ringkv.cli;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table: a header row, then rows; columns padded to their widest cell. */
public final class Table {
  private final List<String> headers;
  private final boolean[] rightAligned;
  private final List<List<String>> rows = new ArrayList<>();

  /** Column names; a name starting with {@code >} is right-aligned (the {@code >} is not shown). */
  public Table(String... columns) {
    this.headers = new ArrayList<>();
    this.rightAligned = new boolean[columns.length];
    for (int i = 0; i < columns.length; i++) {
      rightAligned[i] = columns[i].startsWith(">");
      headers.add(rightAligned[i] ? columns[i].substring(1) : columns[i]);
    }
  }

  public Table row(Object... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException("a row of this table has " + headers.size()
          + " cells, got " + cells.length);
    }
    List<String> row = new ArrayList<>(cells.length);
    for (Object c : cells) {
      row.add(String.valueOf(c));
    }
    rows.add(row);
    return this;
  }

  /** The table, one line per row, each ending in a line separator; trailing spaces trimmed. */
  public String render() {
    int[] width = new int[headers.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(headers);
    all.addAll(rows);
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        if (i > 0) {
          line.append("  ");
        }
        String cell = row.get(i);
        String pad = " ".repeat(width[i] - cell.length());
        line.append(rightAligned[i] ? pad + cell : cell + pad);
      }
      out.append(line.toString().stripTrailing()).append(System.lineSeparator());
    }
    return out.toString();
  }
}
