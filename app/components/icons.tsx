/** Inline SVG icons. They are decorative (aria-hidden); the text or label beside them carries the meaning. */
type IconProps = { className?: string };

const base = "size-6 shrink-0";

export function PerchLogo({ className = "" }: IconProps) {
  return (
    <svg viewBox="0 0 32 32" aria-hidden="true" className={`${base} ${className}`}>
      <circle cx="16" cy="16" r="15" fill="currentColor" />
      <path d="M9 20c3-7 9-10 15-9-2 2-3 4-3 7-3 0-6 1-8 3z" fill="var(--canvas)" />
      <path d="M7 23h18" stroke="var(--canvas)" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}

export function HomeIcon({ className = "" }: IconProps) {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" className={`${base} ${className}`}>
      <path d="M3 11l9-7 9 7v9a1 1 0 0 1-1 1h-5v-6H9v6H4a1 1 0 0 1-1-1z" strokeLinejoin="round" />
    </svg>
  );
}

export function CodeIcon({ className = "" }: IconProps) {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" className={`${base} ${className}`}>
      <path d="M8 6l-6 6 6 6M16 6l6 6-6 6" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export function ReplyIcon({ className = "" }: IconProps) {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" className={`size-5 ${className}`}>
      <path d="M4 5h16v11H9l-5 4z" strokeLinejoin="round" />
    </svg>
  );
}

export function RepostIcon({ className = "" }: IconProps) {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" className={`size-5 ${className}`}>
      <path d="M7 7h11v6M17 17H6v-6M15 4l3 3-3 3M9 20l-3-3 3-3" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export function HeartIcon({ className = "" }: IconProps) {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" className={`size-5 ${className}`}>
      <path d="M12 20s-7-4.5-7-10a4 4 0 0 1 7-2.5A4 4 0 0 1 19 10c0 5.5-7 10-7 10z" strokeLinejoin="round" />
    </svg>
  );
}
