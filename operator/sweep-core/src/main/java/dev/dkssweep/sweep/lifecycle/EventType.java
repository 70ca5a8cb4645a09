package dev.dkssweep.sweep.lifecycle;

/** The type of an event, as Kubernetes has it (the values of the events.type column). */
public enum EventType {
  NORMAL("Normal"),
  WARNING("Warning");

  private final String column;

  EventType(String column) {
    this.column = column;
  }

  public String column() {
    return column;
  }

  public static EventType ofColumn(String value) {
    for (EventType t : values()) {
      if (t.column.equals(value)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown event type '" + value + "'");
  }
}
