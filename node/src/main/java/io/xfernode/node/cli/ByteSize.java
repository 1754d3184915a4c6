package io.xfernode.node.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A size or rate on the command line: {@code 1048576}, {@code 512K}, {@code 10M}, {@code 1G} (binary units). */
final class ByteSize implements ITypeConverter<Long> {

  private static final Pattern SIZE = Pattern.compile("(\\d{1,18})\\s*([KMGT]?)(?:I?B)?", Pattern.CASE_INSENSITIVE);

  @Override
  public Long convert(String value) {
    Matcher m = SIZE.matcher(value.trim());
    if (!m.matches()) {
      throw new TypeConversionException("'" + value + "' is not a size: a number, optionally with K, M, G or T");
    }
    int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
      case "K" -> 10;
      case "M" -> 20;
      case "G" -> 30;
      case "T" -> 40;
      default -> 0;
    };
    long n = Long.parseLong(m.group(1));
    if (n > (Long.MAX_VALUE >> shift)) {
      throw new TypeConversionException("'" + value + "' is too large");
    }
    return n << shift;
  }
}
