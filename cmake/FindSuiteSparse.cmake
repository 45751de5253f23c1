# Finds the parts of SuiteSparse that lle uses, CHOLMOD (sparse Cholesky) and UMFPACK (sparse
# LU), which ship no CMake package configuration on Debian 12. Defines the imported targets
# SuiteSparse::CHOLMOD and SuiteSparse::UMFPACK.
find_path(SUITESPARSE_INCLUDE_DIR cholmod.h PATH_SUFFIXES suitesparse)
find_library(SUITESPARSE_CONFIG_LIBRARY suitesparseconfig)
find_library(CHOLMOD_LIBRARY cholmod)
find_library(UMFPACK_LIBRARY umfpack)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(SuiteSparse
    REQUIRED_VARS SUITESPARSE_INCLUDE_DIR SUITESPARSE_CONFIG_LIBRARY CHOLMOD_LIBRARY UMFPACK_LIBRARY)

if(SuiteSparse_FOUND)
    foreach(part CHOLMOD UMFPACK)
        if(NOT TARGET SuiteSparse::${part})
            add_library(SuiteSparse::${part} UNKNOWN IMPORTED)
            set_target_properties(SuiteSparse::${part} PROPERTIES
                IMPORTED_LOCATION "${${part}_LIBRARY}"
                INTERFACE_INCLUDE_DIRECTORIES "${SUITESPARSE_INCLUDE_DIR}"
                INTERFACE_LINK_LIBRARIES "${SUITESPARSE_CONFIG_LIBRARY}")
        endif()
    endforeach()
endif()
mark_as_advanced(SUITESPARSE_INCLUDE_DIR SUITESPARSE_CONFIG_LIBRARY CHOLMOD_LIBRARY
                 UMFPACK_LIBRARY)
