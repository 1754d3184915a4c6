package io.xfernode.node.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Every subcommand maps what happened to the exit codes of SPEC 2.6 the same way. */
class ExitCodesTest {

  @ParameterizedTest(name = "failure code {0} exits {1}")
  @CsvSource({"400,2", "401,2", "403,2", "404,2", "409,2", "422,2", "429,2", "0,2", "500,4", "502,4", "503,4",
    "504,4"})
  void a_failure_code_maps_to_its_exit_code(int failureCode, int exit) {
    assertThat(ExitCodes.forFailureCode(failureCode)).as("exit for %d", failureCode).isEqualTo(exit);
  }

  @ParameterizedTest(name = "{0} exits {1}")
  @CsvSource({"DONE,0", "FAILED,4", "CANCELLED,5", "RUNNING,-1", "PENDING,-1", "SETUP,-1"})
  void a_final_state_maps_to_its_exit_code_and_others_are_not_final(String state, int exit) {
    assertThat(ExitCodes.forState(state)).isEqualTo(exit);
    assertThat(ExitCodes.isFinal(state)).isEqualTo(exit >= 0);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "401|no token|401 no token (give a token with --token or XFER_TOKEN)",
    "403|source.path: \"..\" is not allowed|403 source.path: \"..\" is not allowed",
    "0|access_denied|access_denied"})
  void a_refusal_is_one_line_with_its_code(int code, String message, String line) {
    assertThat(new BridgeException(code, message).describe()).isEqualTo(line);
  }
}
