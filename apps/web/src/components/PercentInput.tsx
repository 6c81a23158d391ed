/**
 * A sampling ratio typed as a percentage (0.1 %–100 %, one decimal), shared by the task form and
 * the plan batch form; the API carries ratios in (0, 1].
 */
import { InputNumber, type InputNumberProps } from 'antd';

/** 0.05 → 5 (one decimal), for the form's initial values. */
export const ratioToPercent = (x: number | undefined): number | undefined =>
  x === undefined ? undefined : Math.round(x * 1000) / 10;

/** 5 → 0.05, for the request body (an empty field reads 0, which the server refuses as 不免抽). */
export const percentToRatio = (x: number | undefined): number => (x ?? 0) / 100;

/** Form.Item passes value and onChange through the rest props. */
export function PercentInput({
  testId,
  width = 140,
  ...rest
}: InputNumberProps<number> & { testId: string; width?: number }) {
  return (
    <InputNumber<number>
      min={0.1}
      max={100}
      step={1}
      precision={1}
      suffix="%"
      style={{ width }}
      data-testid={testId}
      {...rest}
    />
  );
}
