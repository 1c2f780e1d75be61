from shoplink.policy.profile import Profile, ProfileError, load_profile

__all__ = ["Profile", "ProfileError", "load_profile"]
