package dev.dkssweep.dashboard.api;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;

/**
 * A bad parameter becomes {@code 400 {"problems": [{"field": "sort", "message": "..."}]}}, the same
 * shape as the ingest API's refusals; messages are of the form {@code field: what to do}.
 */
@Provider
public class BadRequestMapper implements ExceptionMapper<BadRequestException> {

  /** One problem with a request. */
  public record Problem(String field, String message) {}

  /** The body of a refused request. */
  public record Problems(List<Problem> problems) {}

  @Override
  public Response toResponse(BadRequestException e) {
    String text = e.getMessage() == null ? "bad request" : e.getMessage();
    int colon = text.indexOf(": ");
    Problem p =
        colon > 0 && !text.substring(0, colon).contains(" ")
            ? new Problem(text.substring(0, colon), text.substring(colon + 2))
            : new Problem("request", text);
    return refusal(400, p);
  }

  /** A refused request's response: the status and one problem, in the API's shape. */
  static Response refusal(int status, Problem p) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON)
        .entity(new Problems(List.of(p)))
        .build();
  }
}
