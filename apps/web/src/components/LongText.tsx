/**
 * Long text in a table cell: at most `rows` lines, the rest behind an ellipsis, the whole text in a
 * tooltip. The column needs a width (or minWidth) so that the cell is never squeezed to one
 * character.
 */
import { Typography } from 'antd';

export function LongText({ text, rows = 2, testId }: { text: string; rows?: number; testId?: string }) {
  return (
    <Typography.Paragraph
      ellipsis={{ rows, tooltip: { title: text, placement: 'topLeft' } }}
      style={{ margin: 0, wordBreak: 'break-word' }}
      data-testid={testId}
    >
      {text}
    </Typography.Paragraph>
  );
}
