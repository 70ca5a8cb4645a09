package dev.dkssweep.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dkssweep.operator.api.v1alpha1.SweepSpec;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the installed CRD knows every field of this operator's Sweep (pure): the fields of the
 * API classes' records (package {@code api.v1alpha1}), followed into nested records and lists of
 * them, looked up in the CRD's {@code openAPIV3Schema}. A field the installed schema lacks means
 * the CRD is older than the operator: the API server prunes the field from every Sweep, so a user's
 * setting would be silently dropped. (Helm installs {@code crds/} once and never upgrades them.)
 */
public final class CrdFreshness {

  private CrdFreshness() {}

  /**
   * The paths (e.g. {@code spec.trainer.tolerations}) of the fields of {@code root}'s records that
   * {@code schema} (the version's openAPIV3Schema) does not have, under {@code prefix}.
   */
  public static List<String> missing(Class<?> root, String prefix, JsonNode schema) {
    List<String> out = new ArrayList<>();
    walk(root, prefix, schema, out);
    return out;
  }

  private static void walk(Class<?> type, String path, JsonNode schema, List<String> out) {
    if (!type.isRecord() || !type.getPackageName().equals(SweepSpec.class.getPackageName())) {
      return; // a Kubernetes type (Toleration, Affinity) or a scalar: its schema is not ours
    }
    JsonNode properties = schema.path("properties");
    for (RecordComponent c : type.getRecordComponents()) {
      String here = path + "." + c.getName();
      JsonNode field = properties.get(c.getName());
      if (field == null) {
        out.add(here);
        continue;
      }
      Type t = c.getGenericType();
      if (t instanceof ParameterizedType p && List.class.equals(p.getRawType())) {
        Type item = p.getActualTypeArguments()[0];
        if (item instanceof Class<?> k) {
          walk(k, here + "[]", field.path("items"), out);
        }
      } else if (t instanceof Class<?> k) {
        walk(k, here, field, out);
      }
    }
  }
}
