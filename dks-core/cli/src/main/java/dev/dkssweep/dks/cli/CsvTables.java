package dev.dkssweep.dks.cli;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** CSV in and out (Jackson CSV: quoting of messages with commas, header handling). */
final class CsvTables {

  private static final CsvMapper MAPPER = new CsvMapper();

  private CsvTables() {}

  static List<Map<String, String>> read(Reader in) throws IOException {
    CsvSchema schema = CsvSchema.emptySchema().withHeader();
    List<Map<String, String>> rows = new ArrayList<>();
    try (MappingIterator<Map<String, String>> it =
        MAPPER.readerForMapOf(String.class).with(schema).readValues(in)) {
      while (it.hasNext()) {
        rows.add(it.next());
      }
    }
    return rows;
  }

  /** A writer that puts the header first; write rows with {@code write(Map)}. */
  static SequenceWriter writer(Writer out, List<String> columns) throws IOException {
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    columns.forEach(schema::addColumn);
    return MAPPER.writer(schema.build()).writeValues(out);
  }
}
