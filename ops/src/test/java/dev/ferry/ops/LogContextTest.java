package dev.ferry.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogContextTest {
  @AfterEach
  void clear() {
    MDC.clear();
  }

  @Test
  void shouldNameTheInstanceByItsKeyParts() {
    try (LogContext.Scope scope = LogContext.instance("acct/orders/o-7")) {
      assertThat(MDC.get(LogContext.ACCOUNT)).isEqualTo("acct");
      assertThat(MDC.get(LogContext.WORKFLOW)).isEqualTo("orders");
      assertThat(MDC.get(LogContext.INSTANCE)).isEqualTo("o-7");
      assertThat(MDC.get(LogContext.SUMMARY)).isEqualTo("acct/orders/o-7");
    }
    assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
  }

  @Test
  void shouldPutBackWhatWasThereWhenAStepScopeCloses() {
    try (LogContext.Scope instance = LogContext.instance("acct/orders/o-7")) {
      try (LogContext.Scope step = LogContext.step("charge", 2, 3)) {
        assertThat(MDC.get(LogContext.STEP)).isEqualTo("charge#2");
        assertThat(MDC.get(LogContext.ATTEMPT)).isEqualTo("3");
        assertThat(MDC.get(LogContext.SUMMARY)).isEqualTo("acct/orders/o-7 charge#2 attempt 3");
      }
      assertThat(MDC.get(LogContext.STEP)).isNull();
      assertThat(MDC.get(LogContext.SUMMARY)).isEqualTo("acct/orders/o-7");
    }
  }

  @Test
  void shouldKeepAKeyThatIsNotAnInstanceKeyWhole() {
    try (LogContext.Scope scope = LogContext.instance("not a key")) {
      assertThat(MDC.get(LogContext.INSTANCE)).isEqualTo("not a key");
      assertThat(MDC.get(LogContext.ACCOUNT)).isNull();
    }
  }
}
