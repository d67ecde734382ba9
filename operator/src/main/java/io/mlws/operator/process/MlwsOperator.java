package io.mlws.operator.process;

import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;

/** The running JOSDK operator, with a stop that releases the Lease instead of losing it. */
public final class MlwsOperator {
  private final Operator operator;
  private final LeadershipLoss leadership;

  MlwsOperator(Operator operator, LeadershipLoss leadership) {
    this.operator = operator;
    this.leadership = leadership;
  }

  public void start() {
    operator.start();
  }

  public void stop() {
    leadership.releasing();
    operator.stop();
  }

  public RuntimeInfo runtimeInfo() {
    return operator.getRuntimeInfo();
  }
}
