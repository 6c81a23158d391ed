import { useT } from '../i18n/index.tsx';

/** The emblem and platform name used in headers. */
export function Brand({ subtitle }: { subtitle?: string }) {
  const t = useT();
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 12, minWidth: 0 }}>
      <div
        aria-hidden
        style={{
          width: 34,
          height: 34,
          borderRadius: 6,
          background: '#c8161d',
          color: '#fff',
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'center',
          fontWeight: 700,
          fontSize: 18,
          flex: 'none',
          boxShadow: 'inset 0 0 0 2px rgba(255,215,0,0.6)',
        }}
      >
        抽
      </div>
      <div style={{ lineHeight: 1.2, minWidth: 0 }}>
        <div style={{ color: '#fff', fontSize: 18, fontWeight: 600, letterSpacing: 1, whiteSpace: 'nowrap' }}>
          {t('app.name')}
        </div>
        <div
          style={{
            color: 'rgba(255,255,255,0.7)',
            fontSize: 12,
            whiteSpace: 'nowrap',
            overflow: 'hidden',
            textOverflow: 'ellipsis',
          }}
        >
          {subtitle ?? t('app.subtitle')}
        </div>
      </div>
    </div>
  );
}
