import type { DesignCategory, DesignVisibility } from '../../../entities/enums';

/** The fields a caller sets on a design: at creation, in an update, and copied by a fork. */
export interface DesignFields {
  name: string;
  description?: string | null;
  avatarId?: string | null;
  category?: DesignCategory | null;
  tags?: string[] | null;
  occasions?: string[] | null;
  seasons?: string[] | null;
  visibility?: DesignVisibility | null;
}
