package io.mlws.devtools.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files a page of docs/ carries, for the tests that run them as written: each fenced block
 * whose info string names a file after its language (<code>```python export_model.py</code>).
 * Blocks without a file name are prose and are not returned.
 */
public final class DocFiles {
  private static final Pattern NAMED_BLOCK =
      Pattern.compile("(?m)^```[a-z]+ ([\\w.-]+)\\n(.*?)^```$", Pattern.DOTALL);
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)}");

  private DocFiles() {}

  /** Each named block's text, by its file name, in the page's order. */
  public static Map<String, String> of(Path page) throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    Matcher block = NAMED_BLOCK.matcher(Files.readString(page));
    while (block.find()) {
      if (files.put(block.group(1), block.group(2)) != null) {
        throw new IllegalStateException(page + " names " + block.group(1) + " twice");
      }
    }
    return files;
  }

  /**
   * The text with each {@code ${NAME}} replaced, as envsubst does; a name without a value fails.
   */
  public static String withVariables(String text, Map<String, String> values) {
    Matcher variable = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (variable.find()) {
      String value = values.get(variable.group(1));
      if (value == null) {
        throw new IllegalArgumentException("no value for ${" + variable.group(1) + "}");
      }
      variable.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    return variable.appendTail(out).toString();
  }
}
