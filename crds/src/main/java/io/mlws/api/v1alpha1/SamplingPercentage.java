package io.mlws.api.v1alpha1;

import io.fabric8.kubernetes.api.model.IntOrString;
import java.math.BigDecimal;

/**
 * A sampling percentage exactly as written, never a float (Kubernetes API conventions): an integer
 * from 0 to 100, or a decimal string with at most three decimals such as "12.5" or "0.1".
 */
public final class SamplingPercentage {
  /** The CEL rule on each samplingPercentage field; the server refuses any other value. */
  public static final String RULE =
      "type(self) == int ? self >= 0 && self <= 100"
          + " : self.matches('^(100(\\\\.0{1,3})?|[0-9]{1,2}(\\\\.[0-9]{1,3})?)$')";

  public static final String RULE_MESSAGE =
      "must be an integer from 0 to 100, or a decimal string such as \"12.5\" (at most 3 decimals)";

  private static final java.util.regex.Pattern DECIMAL =
      java.util.regex.Pattern.compile("^(100(\\.0{1,3})?|[0-9]{1,2}(\\.[0-9]{1,3})?)$");

  private SamplingPercentage() {}

  /** The percentage as a number; refuses what {@link #RULE} refuses, saying why. */
  public static BigDecimal of(IntOrString value) {
    if (value.getIntVal() != null) {
      int percent = value.getIntVal();
      if (percent < 0 || percent > 100) {
        throw new IllegalArgumentException(percent + " " + RULE_MESSAGE);
      }
      return BigDecimal.valueOf(percent);
    }
    String text = value.getStrVal();
    if (text == null || !DECIMAL.matcher(text).matches()) {
      throw new IllegalArgumentException("\"" + text + "\" " + RULE_MESSAGE);
    }
    return new BigDecimal(text);
  }
}
