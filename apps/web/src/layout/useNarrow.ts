import { Grid } from 'antd';

/**
 * A phone-sized screen (below antd's `md`, 768 px): the side menu becomes a drawer and the
 * inspector's pages show cards instead of wide tables. False until the first measurement, which
 * happens before the first paint.
 */
export function useNarrow(): boolean {
  const screens = Grid.useBreakpoint();
  return screens.md === false;
}
