import type { ReactNode } from "react";

/** Inline SVG icons. They are decorative (aria-hidden); the text or label beside them carries the meaning. */
type IconProps = { className?: string };

function StrokeIcon({ className = "", size = "size-6", children }: IconProps & { size?: string; children: ReactNode }) {
  return (
    <svg
      viewBox="0 0 24 24"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      className={`${size} shrink-0 ${className}`}
    >
      {children}
    </svg>
  );
}

export function PerchLogo({ className = "" }: IconProps) {
  return (
    <svg viewBox="0 0 32 32" aria-hidden="true" className={`shrink-0 ${className}`}>
      <circle cx="16" cy="16" r="15" fill="currentColor" />
      <path d="M9 20c3-7 9-10 15-9-2 2-3 4-3 7-3 0-6 1-8 3z" fill="var(--canvas)" />
      <path d="M7 23h18" stroke="var(--canvas)" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}

export const HomeIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M3 11l9-7 9 7v9a1 1 0 0 1-1 1h-5v-6H9v6H4a1 1 0 0 1-1-1z" />
  </StrokeIcon>
);

export const CodeIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M8 6l-6 6 6 6M16 6l6 6-6 6" />
  </StrokeIcon>
);

export const ReplyIcon = (props: IconProps) => (
  <StrokeIcon size="size-5" {...props}>
    <path d="M4 5h16v11H9l-5 4z" />
  </StrokeIcon>
);

export const RepostIcon = (props: IconProps) => (
  <StrokeIcon size="size-5" {...props}>
    <path d="M7 7h11v6M17 17H6v-6M15 4l3 3-3 3M9 20l-3-3 3-3" />
  </StrokeIcon>
);

export const HeartIcon = (props: IconProps) => (
  <StrokeIcon size="size-5" {...props}>
    <path d="M12 20s-7-4.5-7-10a4 4 0 0 1 7-2.5A4 4 0 0 1 19 10c0 5.5-7 10-7 10z" />
  </StrokeIcon>
);

export const GearIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <circle cx="12" cy="12" r="3" />
    <path d="M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z" />
  </StrokeIcon>
);

export const ShieldIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z" />
  </StrokeIcon>
);

export const PersonIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <circle cx="12" cy="8" r="4" />
    <path d="M4 21c0-4 4-6 8-6s8 2 8 6" />
  </StrokeIcon>
);

export const PeopleIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <circle cx="9" cy="8" r="3.5" />
    <path d="M2 20c0-3.5 3-5.5 7-5.5s7 2 7 5.5M16 4.5a3.5 3.5 0 0 1 0 7M18 14.7c2.4.6 4 2.4 4 5.3" />
  </StrokeIcon>
);

export const HashIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M4 9h16M4 15h16M10 3 8 21M16 3l-2 18" />
  </StrokeIcon>
);

export const SearchIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <circle cx="11" cy="11" r="7" />
    <path d="m20 20-4-4" />
  </StrokeIcon>
);

export const ListIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M8 6h13M8 12h13M8 18h13M3 6h.01M3 12h.01M3 18h.01" />
  </StrokeIcon>
);

export const BellIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 21h4" />
  </StrokeIcon>
);

export const ChatIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M4 5h16v11H9l-5 4z" />
  </StrokeIcon>
);

export const InboxIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M3 13h5l2 3h4l2-3h5M5 5h14l2 8v6H3v-6z" />
  </StrokeIcon>
);

export const BookmarkIcon = (props: IconProps) => (
  <StrokeIcon size="size-5" {...props}>
    <path d="M6 3h12v18l-6-4-6 4z" />
  </StrokeIcon>
);

export const QuoteIcon = (props: IconProps) => (
  <StrokeIcon size="size-5" {...props}>
    <path d="M4 5h16v11H9l-5 4zM9 9v3M13 9v3" />
  </StrokeIcon>
);

export const ThumbDownIcon = (props: IconProps) => (
  <StrokeIcon size="size-5" {...props}>
    <path d="M17 14V3M17 14h3V3h-3M17 14l-4 7a2 2 0 0 1-2-2v-4H5.5a2 2 0 0 1-2-2.3l1.2-7A2 2 0 0 1 6.7 3H17" />
  </StrokeIcon>
);

export const MoreIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <circle cx="12" cy="12" r="9" />
    <path d="M8 12h.01M12 12h.01M16 12h.01" />
  </StrokeIcon>
);

export const PenIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M4 20h4L19 9a2.8 2.8 0 0 0-4-4L4 16zM13.5 6.5l4 4" />
  </StrokeIcon>
);

export const LogOutIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4M16 17l5-5-5-5M21 12H9" />
  </StrokeIcon>
);

export const ArrowLeftIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M19 12H5M12 19l-7-7 7-7" />
  </StrokeIcon>
);

export const DraftIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M14 3H6a1 1 0 0 0-1 1v16a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V8zM14 3v5h5M9 13h6M9 17h4" />
  </StrokeIcon>
);

export const ClockIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <circle cx="12" cy="12" r="9" />
    <path d="M12 7v5l3 2" />
  </StrokeIcon>
);

export const PinIcon = (props: IconProps) => (
  <StrokeIcon size="size-5" {...props}>
    <path d="M9 4h6l-1 6 3 3v2H7v-2l3-3zM12 15v6" />
  </StrokeIcon>
);

export const PlayIcon = (props: IconProps) => (
  <StrokeIcon size="size-5" {...props}>
    <path d="M7 4l13 8-13 8z" />
  </StrokeIcon>
);

export const StackIcon = (props: IconProps) => (
  <StrokeIcon size="size-5" {...props}>
    <path d="M8 8V4h12v12h-4M4 8h12v12H4z" />
  </StrokeIcon>
);
